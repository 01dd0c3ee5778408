using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Diagnostics;
using Disagg.Harness.Execution;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Diagnostics;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Execution;

/// <summary>
/// The runtime fault matrix on the real local cluster with simulator faults: every case ends in a
/// failed test with a cause-specific message (or the right verdict for transient faults), fast, and with
/// no job of the run left in the queue.
/// </summary>
[RequiresCluster(Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed class FaultMatrixTests
{
    private readonly List<RunContext> _contexts = [];

    [OneTimeTearDown]
    public async Task DisposeContexts()
    {
        foreach (var c in _contexts) await c.DisposeAsync();
    }

    private RunContext Context(string? profile = null)
    {
        var context = TestConfigs.LocalContext(profile);
        _contexts.Add(context);
        return context;
    }

    private string _lastSummary = "";

    /// <summary>Runs one test; a failed one also gets its diagnosis archive, whose summary.txt is kept for the asserts.</summary>
    private async Task<JudgedRun> RunAsync(RunContext context, DisaggConfig config, string id, CancellationToken token)
    {
        var full = await Pipelines.RunFullAsync(context, config, id, line => TestContext.Progress.WriteLine($"  [{id}] {line}"), token);
        var result = full.Run;
        TestContext.Out.WriteLine(string.Join("\n", result.Problems));
        _lastSummary = full.DiagnosisArchive is { } archive
            ? ArchiveContents.Read(archive).Single(e => e.Name == JobFiles.DiagnosisSummary).Text
            : "";
        return result;
    }

    /// <summary>Every failure leaves an archive whose summary names the real cause.</summary>
    private void AssertArchiveNames(string cause) =>
        Assert.That(_lastSummary, Does.Contain(cause), $"summary.txt of the diagnosis archive:\n{_lastSummary}");

    private static void AssertNotLeftBehind(JudgedRun result)
    {
        Assert.That(result.Outcome, Is.Not.Null, "the job's end must be known");
        Assert.That(new JobSnapshot(result.JobId!, result.Outcome!.State, "", "").IsTerminal, Is.True,
            $"job {result.JobId} left in state {result.Outcome.State}");
    }

    private static Func<string, string> WorkerEnv(string extra) =>
        text => text.Replace("  worker_env_var: \"TLLM_LOG_LEVEL=INFO", $"  worker_env_var: \"{extra} TLLM_LOG_LEVEL=INFO", StringComparison.Ordinal);

    private static Func<string, string> Env(string key, string value) =>
        text => text.Replace("  server_env_var:", $"  {key}: \"{value}\"\n  server_env_var:", StringComparison.Ordinal);

    [Test, CancelAfter(120_000)]
    public async Task Worker_crash_during_the_benchmark_fails_fast_naming_the_worker(CancellationToken token)
    {
        var result = await RunAsync(Context(), TestConfigs.Smoke("thresholds: []", Env("gen_worker_env_var", "SIM_FAULT=crash_after_requests:3")),
            "gen_crash_mid_run", token);
        var message = string.Join("\n", result.Problems);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Passed, Is.False);
            Assert.That(message, Does.Contain("gen_server_0"));
            AssertArchiveNames("gen_server_0");
            Assert.That(message, Does.Contain("CUDA error").Or.Contains("exited with code"));
            Assert.That(result.Duration, Is.LessThan(TimeSpan.FromSeconds(60)));
            AssertNotLeftBehind(result);
        }
    }

    [TestCase("hang_on_start", TestName = "Worker_hanging_at_start_fails_at_the_server_start_timeout")]
    [TestCase("slow_start_ms:60000", TestName = "Worker_starting_slower_than_the_timeout_fails_at_the_server_start_timeout")]
    [CancelAfter(120_000)]
    public async Task Worker_not_ready_in_time(string fault, CancellationToken token)
    {
        var profile = LocalCluster.ProfileVariant(
            t => t.Replace("DISAGG_SERVER_START_TIMEOUT_S: \"120\"", "DISAGG_SERVER_START_TIMEOUT_S: \"8\"", StringComparison.Ordinal));
        var result = await RunAsync(Context(profile), TestConfigs.Smoke("thresholds: []", TestConfigs.CtxEnv($"SIM_FAULT={fault}")),
            "not_ready_" + fault.Split(':')[0], token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(string.Join("\n", result.Problems), Does.Contain("did not answer 200 within 8 s"));
            AssertArchiveNames("did not answer 200 within 8 s");
            Assert.That(result.Duration, Is.LessThan(TimeSpan.FromSeconds(60)));
            AssertNotLeftBehind(result);
        }
    }

    [Test, CancelAfter(120_000)]
    public async Task Disagg_server_crash_fails_fast_naming_its_log(CancellationToken token)
    {
        var config = TestConfigs.Smoke("thresholds: []", t => t.Replace("  server_env_var: \"TRTLLM_SERVER_DISABLE_GC=1\"",
            "  server_env_var: \"SIM_FAULT=crash_after_requests:2\"", StringComparison.Ordinal));
        var result = await RunAsync(Context(), config, "disagg_crash", token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(string.Join("\n", result.Problems), Does.Contain("disagg_server"));
            AssertArchiveNames("disagg_server");
            Assert.That(result.Duration, Is.LessThan(TimeSpan.FromSeconds(60)));
            AssertNotLeftBehind(result);
        }
    }

    [Test, CancelAfter(120_000)]
    public async Task Failed_requests_fail_the_test_per_concurrency(CancellationToken token)
    {
        var result = await RunAsync(Context(), TestConfigs.Smoke("thresholds: []", Env("gen_worker_env_var", "SIM_FAULT=fail_requests:0.5")),
            "failed_requests", token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome?.State, Is.EqualTo("COMPLETED"), "the client finishes; the verdict comes from its output");
            Assert.That(result.Problems, Has.Some.Match(@"concurrency 1: [0-9]+ failed request\(s\)"));
            Assert.That(result.Problems, Has.Some.Match(@"concurrency 4: [0-9]+ failed request\(s\)"));
            AssertArchiveNames("failed request");
            Assert.That(result.Passed, Is.False);
        }
    }

    [Test, CancelAfter(120_000)]
    public async Task A_missing_concurrency_fails_naming_it(CancellationToken token)
    {
        // A client that silently skips concurrency 4, as a dataset shortfall or a broken script would.
        var profile = LocalCluster.ProfileVariant(t => t.Replace($"  benchmark_client: {LocalCluster.Sim} benchmark",
            $"  benchmark_client: bash -c 'case \" $* \" in *\" --max-concurrency 4 \"*) exit 0;; esac; exec \"$@\"' _ {LocalCluster.Sim} benchmark",
            StringComparison.Ordinal));
        var result = await RunAsync(Context(profile), TestConfigs.Smoke("thresholds: []"), "missing_concurrency", token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome?.State, Is.EqualTo("COMPLETED"));
            Assert.That(result.Problems, Has.Some.Contains("no result block for concurrency 4"));
            AssertArchiveNames("no result block for concurrency 4");
            Assert.That(result.Passed, Is.False);
        }
    }

    [Test, CancelAfter(120_000)]
    public async Task A_failed_benchmark_step_ends_the_job_failed_with_its_exit_code(CancellationToken token)
    {
        var profile = LocalCluster.ProfileVariant(t => t.Replace($"  benchmark_client: {LocalCluster.Sim} benchmark",
            "  benchmark_client: bash -c 'echo client broke >&2; exit 7' _", StringComparison.Ordinal));
        var result = await RunAsync(Context(profile), TestConfigs.Smoke("thresholds: []"), "benchmark_exit_7", token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.Outcome?.State, result.Outcome?.ExitCode), Is.EqualTo(("FAILED", "7:0")));
            Assert.That(result.Problems, Has.Some.Contains("benchmark exited with code 7; see benchmark.log"));
            AssertArchiveNames("benchmark exited with code 7");
        }
    }

    [Test, CancelAfter(120_000)]
    public async Task A_failed_install_ends_the_job_before_any_server_starts(CancellationToken token)
    {
        var config = TestConfigs.Smoke("thresholds: []", t => t.Replace("  trtllm_repo: \"\"",
            "  trtllm_repo: \"\"\n  trtllm_wheel_path: /nonexistent/tensorrt_llm-1.0-cp312-linux_x86_64.whl", StringComparison.Ordinal));
        var result = await RunAsync(Context(), config, "install_fails", token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome?.State, Is.EqualTo("FAILED"));
            Assert.That(result.Problems, Has.Some.Contains("install exited with code"));
            AssertArchiveNames("install exited with code");
            Assert.That(File.Exists(Path.Combine(result.Workspace, "install.log")), Is.True);
            Assert.That(File.Exists(Path.Combine(result.Workspace, "ctx_server_0.log")), Is.False, "no server may start after a failed install");
        }
    }

    [Test, CancelAfter(120_000)]
    public async Task Job_cancelled_from_outside_fails_with_cancelled(CancellationToken token)
    {
        var context = Context();
        var config = TestConfigs.Smoke("thresholds: []", WorkerEnv("SIM_LOAD_MS=30000"));
        var watcher = new Pipelines.JobIdWatcher(line => TestContext.Progress.WriteLine("  " + line));
        var run = Pipelines.RunAsync(context, config, "cancelled_outside", watcher.Log, token);
        var jobId = await watcher.JobId.WaitAsync(token);
        await Task.Delay(3000, token);
        await context.Slurm.CancelAsync(jobId, token);
        var result = await run;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome?.State, Does.StartWith("CANCELLED"));
            Assert.That(string.Join("\n", result.Problems), Does.Contain("CANCELLED"));
            Assert.That(result.Duration, Is.LessThan(TimeSpan.FromSeconds(30)));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Submission_to_a_missing_partition_is_rejected_with_the_cause(CancellationToken token)
    {
        var profile = LocalCluster.ProfileVariant(t => t.Replace("partition: debug", "partition: nosuchpartition", StringComparison.Ordinal));
        var result = await RunAsync(Context(profile), TestConfigs.Smoke("thresholds: []"), "bad_partition", token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.JobId, Is.Null);
            Assert.That(result.Problems.Single(), Does.StartWith("submission rejected, no job was started").And.Contains("invalid partition").IgnoreCase);
            AssertArchiveNames("submission rejected");
        }
    }

    [Test, CancelAfter(120_000)]
    public async Task Transient_squeue_failures_do_not_change_the_verdict(CancellationToken token)
    {
        var settings = TestConfigs.LocalContext().Settings;
        var profile = ClusterProfileLoader.Load(settings.ClusterProfile, settings.RepoRoot);
        var flaky = new FlakySqueue(new LocalCommandRunner(), failures: 3);
        var context = new RunContext(settings, profile, flaky, new LocalClusterFiles(), TimeProvider.System);
        _contexts.Add(context);
        var result = await RunAsync(context, TestConfigs.Smoke("thresholds: []"), "flaky_squeue", token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(flaky.Failed, Is.EqualTo(3), "the fault was injected");
            Assert.That(result.Problems, Is.Empty);
            Assert.That(result.Passed, Is.True);
        }
    }

    [Test, CancelAfter(180_000)]
    public async Task Slurmctld_restart_mid_run_does_not_change_the_verdict(CancellationToken token)
    {
        var context = Context();
        var config = TestConfigs.Smoke("thresholds: []", WorkerEnv("SIM_LOAD_MS=6000"));
        var watcher = new Pipelines.JobIdWatcher(line => TestContext.Progress.WriteLine("  " + line));
        var run = Pipelines.RunAsync(context, config, "ctld_restart", watcher.Log, token);
        await watcher.JobId.WaitAsync(token);
        await Task.Delay(2000, token);
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(LocalCluster.StateDir, "run", "slurmctld.pid"), token),
            System.Globalization.CultureInfo.InvariantCulture);
        // A restart as an admin does it: SIGTERM lets slurmctld save its state, then the cluster script starts it again.
        using (var ctld = System.Diagnostics.Process.GetProcessById(pid))
        {
            var term = Command.Of("kill", "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await TestProcesses.RunAsync(term.WithValidation(CommandResultValidation.ZeroExitCode), token);
            await ctld.WaitForExitAsync(token);
        }
        var up = await new LocalCommandRunner().RunAsync(Command.Of("bash", LocalCluster.Script, "up").WithTimeout(TimeSpan.FromSeconds(90)), token);
        Assert.That(up.ExitCode, Is.Zero, up.StandardOutput + up.StandardError);
        var result = await run;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Problems, Is.Empty);
            Assert.That(result.Outcome?.State, Is.EqualTo("COMPLETED"));
        }
    }

    /// <summary>Fails the first N squeue calls the way an overloaded controller does.</summary>
    private sealed class FlakySqueue(ICommandRunner inner, int failures) : ICommandRunner
    {
        public int Failed { get; private set; }

        public Task<CommandResult> RunAsync(Command command, CancellationToken cancellationToken)
        {
            if (command.Program == "squeue" && Failed < failures)
            {
                Failed++;
                return Task.FromResult(new CommandResult(command, 1, "", "squeue: error: slurm_load_jobs error: Socket timed out on send/recv operation",
                    TimeSpan.Zero));
            }
            return inner.RunAsync(command, cancellationToken);
        }
    }
}
