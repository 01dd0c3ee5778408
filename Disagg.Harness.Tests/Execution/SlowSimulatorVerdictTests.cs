using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Execution;

/// <summary>
/// A simulator made slower (SIM_DECODE_STEP_MS=40 through worker_env_var) than the YAML allows fails on the local
/// cluster with every violated metric in one message; the same slow run with honest bounds passes. Two jobs.
/// </summary>
[RequiresCluster(Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed class SlowSimulatorVerdictTests
{
    private RunContext _context = null!;

    [OneTimeSetUp]
    public void CreateContext() => _context = TestConfigs.LocalContext();

    [OneTimeTearDown]
    public async Task DisposeContext() => await _context.DisposeAsync();

    private static readonly Func<string, string> SlowDecode = text =>
        text.Replace("TRTLLM_WORKER_DISABLE_GC=1\"", "TRTLLM_WORKER_DISABLE_GC=1 SIM_DECODE_STEP_MS=40\"", StringComparison.Ordinal);

    private Task<JudgedRun> RunAsync(DisaggConfig config, string id, IHistorySource history, CancellationToken token) =>
        Pipelines.RunAsync(_context, config, id, line => TestContext.Progress.WriteLine($"  [{id}] {line}"), token, history);

    private static DisaggConfig Slow(string thresholds) => TestConfigs.Smoke(thresholds, SlowDecode);

    [Test, CancelAfter(240_000)]
    public async Task Bounds_tighter_than_the_slow_simulator_fail_listing_every_violated_metric_in_one_message(CancellationToken token)
    {
        const string id = "slow_sim_tight";
        var config = Slow("thresholds:\n  - \"median_tpot_ms <= 20\"\n  - \"median_itl_ms <= 20\"\n  - \"output_token_throughput >= 100000\"");
        var fast = new InMemoryHistorySource(new[] { 1, 4 }.SelectMany(c => Enumerable.Range(1, 3).Select(d => new HistoryRecord(
            DateTimeOffset.UtcNow.AddDays(-d), Pipelines.HistoryKey(config, id, c),
            new Dictionary<string, double> { ["output_token_throughput"] = 1e6, ["total_token_throughput"] = 1e6 }))));
        var result = await RunAsync(config, id, fast, token);
        var report = result.Report;
        TestContext.Out.WriteLine(report.Message);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Problems, Is.Empty, "the job itself must succeed");
            // The fast simulator decodes in about 4 ms; timer rounding can shave a fraction off a 40 ms step.
            Assert.That(result.Benchmark!.Blocks.Select(b => b["median_tpot_ms"]), Has.All.GreaterThanOrEqualTo(35),
                "SIM_DECODE_STEP_MS=40 reached the workers");
            Assert.That(result.Passed, Is.False);
            var failedBounds = report.Failures.Where(f => f.BoundOrBaseline.StartsWith('<') || f.BoundOrBaseline.StartsWith('>'))
                .Select(f => (f.Metric, f.Concurrency));
            Assert.That(failedBounds, Is.EquivalentTo(new[]
            {
                ("median_tpot_ms", 1), ("median_tpot_ms", 4), ("median_itl_ms", 1), ("median_itl_ms", 4),
                ("output_token_throughput", 1), ("output_token_throughput", 4),
            }));
            Assert.That(report.Message, Does.StartWith($"{id}: "));
            foreach (var text in new[] { "median_tpot_ms", "median_itl_ms", "output_token_throughput", "<= 20 ms", ">= 100000 tok/s", "baseline 1000000" })
                Assert.That(report.Message, Does.Contain(text));
            Assert.That(result.Regression.Where(f => f.Regressed).Select(f => (f.Metric, f.Concurrency)), Is.EquivalentTo(new[]
            {
                ("output_token_throughput", 1), ("total_token_throughput", 1), ("output_token_throughput", 4), ("total_token_throughput", 4),
            }), "the 1e6 tok/s history is a baseline the slow run misses");
        }
    }

    [Test, CancelAfter(240_000)]
    public async Task The_same_slow_run_with_honest_bounds_passes(CancellationToken token)
    {
        var honest = Slow("thresholds:\n  - \"median_tpot_ms <= 400\"\n  - \"median_itl_ms <= 400\"\n  - \"output_token_throughput >= 1\"");
        var result = await RunAsync(honest, "slow_sim_honest",
            new InMemoryHistorySource([]), token);
        TestContext.Out.WriteLine(result.Report.Message);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Passed, Is.True, result.Report.Message);
            Assert.That(result.Report.Message, Is.EqualTo("slow_sim_honest: all perf checks passed\n"));
            Assert.That(result.Verdicts, Has.Count.EqualTo(6));
            Assert.That(result.Regression.Select(f => f.Severity), Has.All.EqualTo(FindingSeverity.Skipped),
                "no history: a new test cannot fail on regression");
        }
    }
}
