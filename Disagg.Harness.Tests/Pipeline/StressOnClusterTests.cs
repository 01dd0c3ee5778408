using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Pipeline;

/// <summary>
/// The repository's stress test (configs/disagg/stress) end to end on the local cluster: the perf run, then lm_eval's
/// gsm8k through the disagg server (the simulator's lm-eval step, with the task's extra_kwargs and the accuracy
/// env_var), judged by the thresholds and the accuracy hypothesis test. A lower score fails the test on accuracy alone.
/// </summary>
[Category("cluster")]
[NonParallelizable]
public sealed class StressOnClusterTests
{
    private const string Id = "disagg_stress_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX";
    private RunContext _context = null!;

    [OneTimeSetUp]
    public void CreateContext() => _context = TestConfigs.LocalContext();

    [OneTimeTearDown]
    public async Task Cleanup() => await _context.DisposeAsync();

    private static DisaggConfig Stress(string accuracy)
    {
        var path = Path.Combine(FixturePaths.RepoRoot, "configs", "disagg", "stress", Id["disagg_stress_".Length..] + ".yaml");
        var text = File.ReadAllText(path).Replace("SIM_LM_EVAL_ACCURACY: \"0.95\"", $"SIM_LM_EVAL_ACCURACY: \"{accuracy}\"", StringComparison.Ordinal);
        var copy = Path.Combine(Directory.CreateTempSubdirectory("disagg-stress-").FullName, Path.GetFileName(path));
        File.WriteAllText(copy, text);
        return ConfigLoader.Load(copy);
    }

    [Test, CancelAfter(300_000)]
    public async Task Perf_then_accuracy_pass_and_lm_evals_files_are_kept(CancellationToken token)
    {
        var result = await Pipelines.RunAsync(_context, Stress("0.95"), Id, line => TestContext.Progress.WriteLine("  " + line), token);

        result.Problems.Should().BeEmpty();
        result.Passed.Should().BeTrue(result.Report.Message);
        result.Benchmark!.Blocks.Select(b => b.Concurrency).Should().Equal(1, 4);
        var verdict = result.Accuracy.Should().ContainSingle().Subject;
        verdict.Passed.Should().BeTrue(verdict.Message);
        verdict.ActualPercent.Should().BeApproximately(95, 1);
        var output = Path.Combine(result.Workspace, "accuracy_eval_gsm8k", "sim-tiny");
        Directory.GetFiles(output, "results_*.json").Should().ContainSingle();
        File.ReadAllLines(Directory.GetFiles(output, "samples_gsm8k_*.jsonl").Single()).Should().HaveCount(200, "extra_kwargs limit: 200 reached lm_eval");
    }

    [Test, CancelAfter(300_000)]
    public async Task A_low_score_fails_the_test_on_the_accuracy_verdict(CancellationToken token)
    {
        var result = await Pipelines.RunAsync(_context, Stress("0.80"), Id + "-low", line => TestContext.Progress.WriteLine("  " + line), token);

        result.Problems.Should().BeEmpty("the job itself succeeded");
        result.Verdicts.Should().OnlyContain(v => v.Passed);
        result.Passed.Should().BeFalse();
        result.Accuracy.Single().Message.Should().Contain("gsm8k (flexible-extract, accuracy_eval_gsm8k.log:").And.Contain("-> FAILED");
    }
}
