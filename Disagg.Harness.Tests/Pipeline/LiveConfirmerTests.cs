using System.Text.Json;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Publishing;
using Disagg.Harness.Rendering;
using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Pipeline;

/// <summary>
/// In-allocation confirmation on the real local cluster (issue 17's acceptance): a noisy concurrency is repeated and passes with its
/// interval, a true 10 % slowdown fails after its repeats, a 50 % one fails without any, repeats never exceed the budget, and a job
/// too short for a repeat skips it with a warning. One concurrency (c=4, 16 prompts) with a slow decode step keeps each job short;
/// median TPOT is gated against an in-memory history of 20 runs with 3 % noise around the simulator's step time.
/// </summary>
[RequiresCluster(Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed class LiveConfirmerTests
{
    /// <summary>The simulator's decode step for these jobs; the gen iteration at c=4 costs 20 + 0.05 × 4 ms.</summary>
    private const double StepMs = 20;

    /// <summary>The median TPOT a clean job measures on the local cluster (the iteration cost plus streaming overhead).</summary>
    public const double BaselineTpot = 20.2;

    private readonly List<RunContext> _contexts = [];

    [OneTimeTearDown]
    public async Task DisposeContexts()
    {
        foreach (var c in _contexts) await c.DisposeAsync();
    }

    private static DisaggConfig Config(string simEnv, string regression = "", string jobTime = "00:10:00") =>
        TestConfigs.Smoke("thresholds: []\nregression:\n  gating_metrics: [median_tpot_ms]\n  pre_merge_tolerance: 0.05\n" + regression, text => text
            .Replace("concurrency_list: \"1 4\"", "concurrency_list: \"4\"", StringComparison.Ordinal)
            .Replace("job_time: \"00:10:00\"", $"job_time: \"{jobTime}\"", StringComparison.Ordinal)
            .Replace("  worker_env_var: \"TLLM_LOG_LEVEL=INFO", $"  worker_env_var: \"SIM_DECODE_STEP_MS={StepMs} {simEnv} TLLM_LOG_LEVEL=INFO",
                StringComparison.Ordinal));

    /// <summary>20 post-merge runs, one a day, whose median TPOT spreads like N(baseline, 3 %) (exact normal quantiles).</summary>
    private static InMemoryHistorySource History(DisaggConfig config, string id)
    {
        var key = Pipelines.HistoryKey(config, id, 4);
        var now = DateTimeOffset.UtcNow;
        return new InMemoryHistorySource(Enumerable.Range(0, 20).Select(i => new HistoryRecord(now.AddDays(-1 - i), key,
            new Dictionary<string, double> { ["median_tpot_ms"] = BaselineTpot * (1 + (0.03 * InverseNormal.Quantile((((i * 7) % 20) + 0.5) / 20))) })));
    }

    private async Task<(JudgedRun Run, string Log, JsonDocument Results)> RunAsync(DisaggConfig config, string id, CancellationToken token)
    {
        var context = TestConfigs.LocalContext();
        _contexts.Add(context);
        var full = await Pipelines.RunFullAsync(context, config, id, line => TestContext.Progress.WriteLine($"  [{id}] {line}"), token, History(config, id));
        var run = full.Run;
        var log = await File.ReadAllTextAsync(Path.Combine(run.Workspace, JobFiles.BenchmarkLog), token);
        var results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(run.Workspace, "results.json"), token));
        TestContext.Out.WriteLine(run.Report.Message);
        foreach (var f in run.Regression) TestContext.Out.WriteLine(f.Describe());
        foreach (var w in run.Warnings) TestContext.Out.WriteLine("warning: " + w);
        return (run, log, results);
    }

    private static int Repeats(string log) => log.Split('\n').Select(BenchmarkLogParser.Normalize)
        .Count(l => l.StartsWith("Benchmarking with concurrency 4 ", StringComparison.Ordinal) && l.Contains("(repeat ", StringComparison.Ordinal));

    [Test, CancelAfter(240_000)]
    public async Task A_noisy_concurrency_is_repeated_inside_the_job_and_passes_with_its_interval(CancellationToken token)
    {
        var config = Config("SIM_HICCUP=4:1.08");
        var (run, log, results) = await RunAsync(config, "confirm_noisy", token);
        Assert.That(Repeats(log), Is.InRange(1, 2), "the hiccup makes c=4 suspect; at most confirm_runs (2) repeats");
        Assert.That(log, Does.Contain("Benchmark with concurrency 4 done (repeat 1)"));
        var concurrency = results.RootElement.GetProperty("concurrencies")[0];
        Assert.That(concurrency.GetProperty("concurrency").GetInt32(), Is.EqualTo(4));
        Assert.That(results.RootElement.GetProperty("concurrencies").GetArrayLength(), Is.EqualTo(1), "repeats are samples, not concurrencies");
        var samples = concurrency.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("sample_index").GetInt32()).ToList();
        Assert.That(samples, Is.EqualTo(Enumerable.Range(0, Repeats(log) + 1)));
        var finding = run.Regression.Single(f => f.Metric == "median_tpot_ms");
        Assert.That(run.Passed, Is.True, run.Report.Message);
        Assert.That(finding.Note, Does.Match(
            @"median_tpot_ms c=4: [+-]\d+\.\d % \[[+-]?\d+\.\d, [+-]?\d+\.\d\] over baseline .* ms \(\d samples, history noise"));
        Assert.That(finding.Note, Does.EndWith("→ pass").Or.EndWith("→ not significant, pass"));
        await AssertReevaluateAgreesAsync(run, config, "confirm_noisy", token);
    }

    /// <summary><c>disagg reevaluate</c> of the folder judges the same samples to the same verdict.</summary>
    private static async Task AssertReevaluateAgreesAsync(JudgedRun live, DisaggConfig config, string id, CancellationToken token)
    {
        var context = RegressionContextFactory.For(id, config, new Dictionary<string, string>(), DateTimeOffset.UtcNow, GpuTypeResolver.Unsupported);
        var again = await JobReevaluator.ReevaluateAsync(live.Workspace, config, History(config, id), context, token);
        Assert.That(again.Regression.Select(f => (f.Metric, f.Regressed, f.Note)), Is.EqualTo(live.Regression.Select(f => (f.Metric, f.Regressed, f.Note))));
    }

    [Test, CancelAfter(240_000)]
    public async Task A_true_ten_percent_slowdown_fails_after_its_repeats_with_the_numbers(CancellationToken token)
    {
        var config = Config("SIM_SLOWDOWN=1.10");
        var (run, log, _) = await RunAsync(config, "confirm_slow10", token);
        Assert.That(Repeats(log), Is.InRange(0, 2), "a first sample far enough beyond the threshold fails at once; else up to confirm_runs repeats");
        Assert.That(run.Passed, Is.False);
        var finding = run.Regression.Single(f => f.Metric == "median_tpot_ms");
        Assert.That(finding.Regressed, Is.True);
        Assert.That(finding.Note, Does.Match(@"median_tpot_ms c=4: \+\d+\.\d % \[\+\d+\.\d, \+\d+\.\d\] over baseline .* "
            + @"\(\d samples?, history noise 3\.\d %, n=20\) > 5 % → regression"));
        Assert.That(run.Report.Message, Does.Contain("→ regression"));
        await AssertReevaluateAgreesAsync(run, config, "confirm_slow10", token);
    }

    [Test, CancelAfter(240_000)]
    public async Task A_fifty_percent_slowdown_fails_at_once_without_repeats(CancellationToken token)
    {
        var (run, log, results) = await RunAsync(Config("SIM_SLOWDOWN=1.5"), "confirm_slow50", token);
        Assert.That(Repeats(log), Is.Zero, "a clear miss spends no GPU time on repeats");
        Assert.That(run.Passed, Is.False);
        Assert.That(run.Regression.Single(f => f.Metric == "median_tpot_ms").Note, Does.Contain("(1 sample,").And.Contain("→ regression"));
        Assert.That(results.RootElement.GetProperty("confirmation").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test, CancelAfter(240_000)]
    public async Task A_repeat_that_would_outlive_the_job_time_limit_is_skipped_with_a_warning(CancellationToken token)
    {
        var (run, log, _) = await RunAsync(Config("SIM_SLOWDOWN=1.10", jobTime: "00:01:00"), "confirm_short", token);
        Assert.That(Repeats(log), Is.Zero);
        Assert.That(run.Warnings, Has.Some.Contains("confirmation of c=4 (median_tpot_ms) skipped").And.Some.Contains("time limit"));
        Assert.That(run.Regression.Single(f => f.Metric == "median_tpot_ms").Note, Does.Contain("(1 sample,"));
    }

    [Test, CancelAfter(240_000)]
    public async Task The_budget_caps_the_repeats(CancellationToken token)
    {
        var (run, log, _) = await RunAsync(Config("SIM_SLOWDOWN=1.06", "  confirm_runs: 1\n"), "confirm_budget", token);
        Assert.That(Repeats(log), Is.LessThanOrEqualTo(1));
        Assert.That(run.Regression.Single(f => f.Metric == "median_tpot_ms").Note, Does.Contain($"({Repeats(log) + 1} sample"));
    }
}
