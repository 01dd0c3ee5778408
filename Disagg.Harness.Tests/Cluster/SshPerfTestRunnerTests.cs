using System.Diagnostics;
using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Cluster;

/// <summary>
/// The smoke perf test through clusters/local-ssh.yaml: staged by SFTP under workspace_root, submitted and
/// followed over SSH, collected back into the local results folder; and the same with the connection cut
/// while the job runs.
/// </summary>
[RequiresCluster(Needs.Ssh | Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed class SshPerfTestRunnerTests
{
    private string _results = null!;

    [SetUp]
    public void CreateResults() => _results = Directory.CreateTempSubdirectory("disagg-ssh-runner-").FullName;

    private RunSettings Settings()
    {
        SshTestCluster.Settings(); // loads cluster.env into the environment for the profile's ${DISAGG_SSH_*}
        var repo = FixturePaths.RepoRoot;
        return new RunSettings(repo, Path.Combine(repo, "configs"), "", Path.Combine(repo, "clusters", "local-ssh.yaml"), _results, TimeSpan.FromMinutes(5));
    }

    private static DisaggConfig Smoke()
    {
        var text = File.ReadAllText(FixturePaths.Fixture("configs", "smoke.yaml"));
        var start = text.IndexOf("thresholds:", StringComparison.Ordinal);
        var end = text.IndexOf("worker_config:", StringComparison.Ordinal);
        text = text[..start] + "thresholds:\n  - \"median_ttft_ms <= 60000\"\n" + text[end..];
        var path = Path.Combine(Path.GetTempPath(), $"disagg-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        return ConfigLoader.Load(path);
    }

    private static void Log(string id, string line) => TestContext.Progress.WriteLine($"  [{id}] {line}");

    [Test, CancelAfter(120_000)]
    public async Task Smoke_test_runs_end_to_end_over_ssh_and_results_land_locally(CancellationToken token)
    {
        await using var context = RunContext.Create(Settings(), line => Log("ssh", line));

        var result = await Pipelines.RunAsync(context, Smoke(), "smoke_ssh", line => Log("smoke_ssh", line), token);

        var remote = context.Workspaces.ClusterPath("smoke_ssh");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Problems, Is.Empty);
            Assert.That(result.Passed, Is.True, string.Join("; ", result.Verdicts.Select(v => v.Describe())));
            Assert.That(result.Outcome?.State, Is.EqualTo("COMPLETED"));
            Assert.That(remote, Does.StartWith("/tmp/disagg-remote/" + Path.GetFileName(_results) + "-"), "<workspace_root>/<run id>/<test id>");
            Assert.That(result.Workspace, Is.EqualTo(Path.Combine(_results, "smoke_ssh")), "results stay local");
            foreach (var file in new[] { "ctx_server_0.log", "gen_server_0.log", JobFiles.DisaggServerLog, JobFiles.BenchmarkLog, JobFiles.BatchScript,
                JobFiles.DoneMarker(result.JobId ?? "none") })
                Assert.That(File.Exists(Path.Combine(result.Workspace, file)), Is.True, $"{file} copied back");
            Assert.That(File.ReadAllText(Path.Combine(result.Workspace, JobFiles.BatchScript)), Does.Contain(remote), "the job ran in the remote workspace");
        }
        await context.Runner.RunAsync(Command.Of("rm", "-rf", context.Workspaces.ClusterRoot!), CancellationToken.None);
    }

    [Test, CancelAfter(120_000)]
    public async Task Connection_killed_mid_run_recovers_and_the_verdict_is_right(CancellationToken token)
    {
        var settings = Settings();
        var profile = ClusterProfileLoader.Load(settings.ClusterProfile, settings.RepoRoot);
        var connection = SshTestCluster.Connect(profile.Ssh);
        await using var context = new RunContext(settings, profile, new SshCommandRunner(connection), new SftpClusterFiles(connection),
            TimeProvider.System, WorkspaceLayout.Remote(settings.ResultsDir, profile.WorkspaceRoot), connection);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = Pipelines.RunAsync(context, Smoke(), "smoke_ssh_cut", line =>
        {
            Log("smoke_ssh_cut", line);
            if (line.Contains(": RUNNING", StringComparison.Ordinal)) running.TrySetResult();
        }, token);
        await Task.WhenAny(running.Task, run).WaitAsync(token);
        Assert.That(run.IsCompleted, Is.False, "the run ended before its job was seen RUNNING");
        await Task.Delay(TimeSpan.FromSeconds(2), token);
        var killed = SshdSessions.KillOurs(profile.Ssh!.Port, SshTestCluster.ListenerPid());
        var cut = Stopwatch.StartNew();
        TestContext.Progress.WriteLine($"  killed sshd sessions {string.Join(',', killed)} while the job ran");
        await context.Runner.RunAsync(Command.Of("true"), token);
        TestContext.Progress.WriteLine($"  commands work again {cut.ElapsedMilliseconds} ms after the cut");
        var result = await run;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(killed, Has.Count.GreaterThanOrEqualTo(2), "both the command and the SFTP connection were cut");
            Assert.That(connection.Reconnects, Is.GreaterThanOrEqualTo(1), "the link was re-established");
            Assert.That(result.Problems, Is.Empty, "a dropped connection is not a job failure");
            Assert.That(result.Outcome?.State, Is.EqualTo("COMPLETED"));
            Assert.That(result.Passed, Is.True);
            Assert.That(File.Exists(Path.Combine(result.Workspace, JobFiles.BenchmarkLog)), Is.True, "results copied back after the reconnect");
        }
        await context.Runner.RunAsync(Command.Of("rm", "-rf", context.Workspaces.ClusterRoot!), CancellationToken.None);
    }
}
