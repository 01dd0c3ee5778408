using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Execution;

/// <summary>
/// Whole tests through the real chain: the local SLURM cluster, the simulator and the runner. Each
/// case is one real job, so keep them few; they prove the verdicts a user depends on.
/// </summary>
[RequiresCluster(Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed class PerfTestRunnerTests
{
    private RunContext _context = null!;

    [OneTimeSetUp]
    public void CreateContext() => _context = TestConfigs.LocalContext();

    [OneTimeTearDown]
    public async Task DisposeContext() => await _context.DisposeAsync();

    private static DisaggConfig Smoke(string thresholds, string ctxEnv = "") =>
        TestConfigs.Smoke(thresholds, ctxEnv.Length > 0 ? TestConfigs.CtxEnv(ctxEnv) : null);

    private Task<JudgedRun> RunAsync(DisaggConfig config, string id, CancellationToken token) =>
        Pipelines.RunAsync(_context, config, id, line => TestContext.Progress.WriteLine($"  [{id}] {line}"), token);

    [Test, CancelAfter(240_000)]
    public async Task Impossible_threshold_fails_naming_metric_concurrency_value_and_bound(CancellationToken token)
    {
        var result = await RunAsync(Smoke("thresholds:\n  - \"median_ttft_ms <= 0.001 at c=4\""), "impossible_threshold", token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Problems, Is.Empty, "the job itself must succeed");
            Assert.That(result.Outcome?.State, Is.EqualTo("COMPLETED"));
            Assert.That(result.Passed, Is.False);
            var failed = result.Verdicts.Single(v => !v.Passed);
            Assert.That(failed.Describe(), Does.Match(@"^median_ttft_ms at concurrency 4: [0-9.]+ ms violates bound <= 0\.001 ms "
                + @"\(rule 'median_ttft_ms <= 0\.001 at c=4' from .+:\d+\)$"));
            Assert.That(result.Benchmark!.Blocks.Select(b => b.Concurrency), Is.EqualTo(new[] { 1, 4 }));
            foreach (var log in new[] { "ctx_server_0.log", "gen_server_0.log", JobFiles.DisaggServerLog, JobFiles.BenchmarkLog, JobFiles.BatchScript,
                JobFiles.ServerConfig })
                Assert.That(File.Exists(Path.Combine(result.Workspace, log)), Is.True, log);
        }
    }

    [Test, CancelAfter(240_000)]
    public async Task Crashing_ctx_worker_fails_fast_with_its_first_error(CancellationToken token)
    {
        var result = await RunAsync(Smoke("thresholds: []", ctxEnv: "SIM_FAULT=crash_on_start"), "ctx_crash", token);
        var message = string.Join("\n", result.Problems);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Passed, Is.False);
            Assert.That(message, Does.Contain("ctx_server_0.log"));
            Assert.That(message, Does.Contain("RuntimeError").Or.Contains("Traceback"));
            Assert.That(result.Duration, Is.LessThan(TimeSpan.FromSeconds(60)), "a dead server must be noticed in seconds, not at a timeout");
            Assert.That(result.Outcome?.State, Is.Not.EqualTo("RUNNING").And.Not.EqualTo("PENDING"), "the job must not be left behind");
        }
    }
}
