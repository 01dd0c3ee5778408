using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Pipeline;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Pipeline;

/// <summary>
/// A live run and <c>disagg reevaluate</c> of the folder it left read the same files through the same reader and judge,
/// so they must reach the same verdicts, problems, warnings and report, to the letter.
/// </summary>
[Category("cluster")]
[RequiresCluster(Needs.Slurm)]
[NonParallelizable]
public sealed class ReevaluateAgreementTests
{
    private RunContext _context = null!;

    [OneTimeSetUp]
    public void CreateContext() => _context = TestConfigs.LocalContext();

    [OneTimeTearDown]
    public async Task DisposeContext() => await _context.DisposeAsync();

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(
                "agree_pass", "thresholds:\n  - \"median_ttft_ms <= 100000\"\n  - \"output_token_throughput >= 0.001\"", BenchmarkMode.E2E)
            .SetArgDisplayNames("e2e_passing_bounds");
        yield return new TestCaseData(
                "agree_fail", "thresholds:\n  - \"median_ttft_ms <= 0.001 at c=4\"\n  - \"output_token_throughput >= 100000000\"", BenchmarkMode.E2E)
            .SetArgDisplayNames("e2e_failing_bounds");
        yield return new TestCaseData("agree_gen_only", "thresholds: []", BenchmarkMode.GenOnly)
            .SetArgDisplayNames("gen_only_without_step_times");
    }

    [TestCaseSource(nameof(Cases)), CancelAfter(240_000)]
    public async Task Live_verdict_equals_reevaluate_of_the_same_folder(string id, string thresholds, BenchmarkMode mode, CancellationToken token)
    {
        var smoke = TestConfigs.Smoke(thresholds);
        var config = smoke with { Benchmark = smoke.Benchmark with { Mode = mode } };
        var live = await Pipelines.RunAsync(_context, config, id, line => TestContext.Progress.WriteLine($"  [{id}] {line}"), token);
        Assert.That(live.JobId, Is.Not.Null, "the job must have run: " + string.Join("; ", live.Problems));
        var again = await JobReevaluator.ReevaluateAsync(live.Workspace, config, history: null, context: null, token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.Passed, Is.EqualTo(live.Passed));
            Assert.That(again.Verdicts.Select(v => v.Describe()), Is.EqualTo(live.Verdicts.Select(v => v.Describe())));
            Assert.That(again.Problems, Is.EqualTo(live.Problems));
            Assert.That(again.Warnings, Is.EqualTo(live.Warnings));
            Assert.That(again.Report.Message, Is.EqualTo(live.Report.Message));
        }
        Assert.That(live.Passed, Is.EqualTo(id != "agree_fail"), live.Report.Message);
    }
}
