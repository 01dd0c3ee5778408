using System.Diagnostics;
using Disagg.Harness.Cluster;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Execution;

/// <summary>
/// The runner itself dies: Ctrl-C (SIGINT to its process group) cancels the run's jobs; SIGKILL leaves the
/// job to notice the stale heartbeat and stop itself. A real `dotnet test Disagg.Tests` is the runner.
/// </summary>
[RequiresCluster(Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed class RunnerSignalTests
{
    private readonly SlurmClient _slurm = new(new LocalCommandRunner(), TimeProvider.System);

    [TestCase("INT", "CANCELLED", TestName = "Runner_SIGINT_cancels_the_runs_jobs")]
    [TestCase("KILL", "FAILED", TestName = "Runner_SIGKILL_makes_the_job_stop_itself_on_a_stale_heartbeat")]
    [CancelAfter(240_000)]
    public async Task Runner_dies(string signal, string expectedState, CancellationToken token)
    {
        var root = Directory.CreateTempSubdirectory("disagg-signal-").FullName;
        var configs = Path.Combine(root, "configs", "disagg", "perf");
        Directory.CreateDirectory(configs);
        // Workers that take a minute to load keep the job waiting for readiness while the runner is killed.
        File.WriteAllText(Path.Combine(configs, "slow.yaml"), TestConfigs.SmokeText().Replace(
            "  server_env_var:", "  ctx_worker_env_var: \"SIM_LOAD_MS=60000\"\n  server_env_var:", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(root, "list.txt"), "disagg_perf_slow\n");
        var runId = $"signal-{signal}-{Guid.NewGuid():N}"[..24];

        // A live handle, not a Command run to its end: the test signals the runner's process group while it runs.
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // A runner started in the background by a non-interactive shell inherits SIGINT ignored; CI may start us that way,
        // and a real Ctrl-C reaches a foreground runner, so the child gets SIGINT's default back.
        var arguments = new[]
        {
            "env", "--default-signal=INT", "dotnet", "test", Path.Combine(FixturePaths.RepoRoot, "Disagg.Tests"), "--no-build", "--nologo",
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["DISAGG_TEST_LIST"] = Path.Combine(root, "list.txt");
        info.Environment["DISAGG_CONFIG_ROOT"] = Path.Combine(root, "configs");
        info.Environment["DISAGG_RESULTS_DIR"] = Path.Combine(root, "results");
        info.Environment["DISAGG_RUN_ID"] = runId;
        info.Environment["DISAGG_REPO_ROOT"] = FixturePaths.RepoRoot;
        info.Environment["DISAGG_HEARTBEAT_TIMEOUT_S"] = "10"; // sbatch passes the runner's environment to the job
        info.Environment["UPLOAD_TO_PERFDB"] = "false";
        using var runner = Process.Start(info)!;
        var output = runner.StandardOutput.ReadToEndAsync(token);
        var errors = runner.StandardError.ReadToEndAsync(token);

        var jobId = await WaitForRunningJobAsync(runId, token);
        var killed = Stopwatch.StartNew();
        await TestProcesses.RunAsync(Command.Of("kill", "-" + signal, "--", "-" + runner.Id).WithValidation(CommandResultValidation.ZeroExitCode), token);
        var outcome = await WaitForEndAsync(jobId, TimeSpan.FromSeconds(90), token);
        var elapsed = killed.Elapsed;
        await runner.WaitForExitAsync(token);
        TestContext.Out.WriteLine($"job {jobId} ended {outcome?.State} {elapsed.TotalSeconds:0.0} s after SIG{signal}\n{await output}\n{await errors}");
        var stderr = File.ReadAllText(Path.Combine(root, "results", "disagg_perf_slow", JobFilesErr(jobId)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome?.State, Does.StartWith(expectedState));
            if (signal == "KILL")
            {
                Assert.That(stderr, Does.Contain("heartbeat"), "the job must say why it stopped");
                Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(45)));
            }
            else
            {
                Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
            }
        }
    }

    private static string JobFilesErr(string jobId) => Harness.Rendering.JobFiles.SlurmErr(jobId);

    private async Task<string> WaitForRunningJobAsync(string runId, CancellationToken token)
    {
        var runner = new LocalCommandRunner();
        for (var i = 0; i < 240; i++)
        {
            var r = await runner.RunAsync(Command.Of("squeue", "-h", "-t", "running", "-o", "%i|%k"), token);
            var line = r.StandardOutput.Split('\n').FirstOrDefault(l => l.EndsWith("|disagg-run=" + runId, StringComparison.Ordinal));
            if (line is not null) return line.Split('|')[0];
            await Task.Delay(500, token);
        }
        throw new TimeoutException($"no running job with run id {runId} appeared within 120 s");
    }

    private async Task<JobOutcome?> WaitForEndAsync(string jobId, TimeSpan limit, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var outcome = await _slurm.ShowJobAsync(jobId, token);
            if (outcome is null || new JobSnapshot(jobId, outcome.State, "", "").IsTerminal) return outcome;
            await Task.Delay(500, token);
        }
        return await _slurm.ShowJobAsync(jobId, token);
    }
}
