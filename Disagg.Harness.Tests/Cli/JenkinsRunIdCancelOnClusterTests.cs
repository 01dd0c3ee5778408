using System.Diagnostics;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Tests.Diagnostics;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Cli;

/// <summary>
/// A multibranch Jenkins build's BUILD_TAG holds '%2F'. The DISAGG_RUN_ID the example Jenkinsfile sets from it must
/// cancel the run's SLURM jobs through the very command its post/always step runs.
/// </summary>
[Category("cluster")]
[RequiresCluster(Needs.Slurm)]
[NonParallelizable]
public sealed class JenkinsRunIdCancelOnClusterTests
{
    private readonly List<string> _submitted = [];
    private readonly LocalCommandRunner _runner = new();

    private async Task<string> SbatchAsync(string runId, CancellationToken token)
    {
        var partition = Environment.GetEnvironmentVariable("DISAGG_SLURM_PARTITION") is { Length: > 0 } p ? p : "debug";
        // The comment the renderer puts on every job of a run.
        var result = await _runner.RunAsync(Command.Of("sbatch", ["--parsable", $"--partition={partition}", "--job-name=disagg-jenkins-id-test",
            "--output=/dev/null", "--error=/dev/null", "--time=10", "--comment=" + RunComment.For(runId), "--wrap=sleep 300"])
            .InDirectory(Path.GetTempPath()).WithTimeout(TimeSpan.FromMinutes(1)), token);
        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
        var id = result.StandardOutput.Trim().Split(';')[0];
        _submitted.Add(id);
        return id;
    }

    /// <summary>Runs a post-step command of the Jenkinsfile as Jenkins' sh step would: bash in the workspace, the environment set.</summary>
    private static async Task<(int Code, string Output)> ShAsync(string command, string runId, CancellationToken token)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = FixturePaths.RepoRoot,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        info.Environment["DISAGG_RUN_ID"] = runId;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(token);
        var stderr = process.StandardError.ReadToEndAsync(token);
        await process.WaitForExitAsync(token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [TearDown]
    public async Task CancelEverythingSubmitted()
    {
        foreach (var job in _submitted)
            await _runner.RunAsync(Command.Of("scancel", job).WithTimeout(TimeSpan.FromSeconds(30)), CancellationToken.None);
    }

    [Test, CancelAfter(180_000)]
    public async Task The_run_id_from_a_build_tag_with_percent_2F_cancels_the_runs_jobs(CancellationToken token)
    {
        // Unique per test run, shaped like a multibranch BUILD_TAG: jenkins-<folder>-<job>-<branch with %2F>-<build>.
        var buildTag = CiExampleTests.MultibranchBuildTag.Replace("-17", "-" + Guid.NewGuid().ToString("N")[..6], StringComparison.Ordinal);
        var variable = CiExampleTests.JenkinsRunIdVariable(buildTag);
        // The run names its jobs by DISAGG_RUN_ID as RunSettings resolves it.
        var runId = RunIds.Resolve(variable, "results/17");
        var first = await SbatchAsync(runId, token);
        var second = await SbatchAsync(runId, token);

        var (code, output) = await ShAsync(CiExampleTests.JenkinsCancelCommand(), variable, token);

        var slurm = new SlurmClient(_runner, TimeProvider.System);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, output);
            Assert.That(runId, Does.Not.Contain("%").And.Not.StartWith("jenkins-jenkins-"));
            Assert.That(output, Does.Contain($"scancel {first} {second}").Or.Contain($"scancel {second} {first}"));
            Assert.That((await slurm.ShowJobAsync(first, token))?.State, Is.EqualTo("CANCELLED"));
            Assert.That((await slurm.ShowJobAsync(second, token))?.State, Is.EqualTo("CANCELLED"));
        }
    }
}
