using Disagg.Harness.Cluster;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Cluster;

/// <summary>Against the real local SLURM cluster (scripts/local-cluster.sh up).</summary>
[RequiresCluster(Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed class SlurmClientTests
{
    private readonly SlurmClient _slurm = new(new LocalCommandRunner(), TimeProvider.System);
    private string _dir = "";

    [SetUp]
    public void CreateWorkspace()
    {
        _dir = Directory.CreateTempSubdirectory("disagg-slurm-").FullName;
    }

    [TearDown]
    public void RemoveWorkspace() => Directory.Delete(_dir, recursive: true);

    private string Script(string body)
    {
        var path = Path.Combine(_dir, "job.sh");
        File.WriteAllText(path, $"#!/bin/bash\n#SBATCH --partition=debug\n#SBATCH --output={_dir}/slurm-%j.out\n#SBATCH --time=00:02:00\n{body}\n");
        return path;
    }

    private async Task<JobOutcome> WaitAsync(string id, CancellationToken token)
    {
        while (true)
        {
            var snapshot = (await _slurm.QueryAsync([id], token)).GetValueOrDefault(id);
            if (snapshot?.IsTerminal == true) return (await _slurm.ShowJobAsync(id, token))!;
            await Task.Delay(300, token);
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Submitted_job_completes_and_reads_back_completed(CancellationToken token)
    {
        var id = await _slurm.SubmitAsync(Script("echo hello from $SLURMD_NODENAME"), _dir, token);
        var outcome = await WaitAsync(id, token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.State, Is.EqualTo("COMPLETED"));
            Assert.That(outcome.Completed, Is.True);
            Assert.That(File.ReadAllText(Path.Combine(_dir, $"slurm-{id}.out")), Does.StartWith("hello from node"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Failing_script_reads_back_failed_with_its_exit_code(CancellationToken token)
    {
        var id = await _slurm.SubmitAsync(Script("exit 3"), _dir, token);
        var outcome = await WaitAsync(id, token);
        Assert.That((outcome.State, outcome.ExitCode), Is.EqualTo(("FAILED", "3:0")));
        Assert.That(outcome.Describe(), Does.Contain("ended FAILED: state FAILED, exit code 3:0"));
    }

    [Test, CancelAfter(60_000)]
    public async Task Cancel_stops_a_running_job(CancellationToken token)
    {
        var id = await _slurm.SubmitAsync(Script("sleep 300"), _dir, token);
        await _slurm.CancelAsync(id, token);
        var outcome = await WaitAsync(id, token);
        Assert.That(outcome.State, Is.EqualTo("CANCELLED").Or.StartsWith("CANCELLED"));
    }

    [Test, CancelAfter(60_000)]
    public void Rejected_submission_names_the_command_and_stderr(CancellationToken token)
    {
        var e = Assert.ThrowsAsync<CommandFailedException>(() => _slurm.SubmitAsync(
            Script("#SBATCH --gres=gpu:5\ntrue")
                .Replace("#SBATCH --time=00:02:00\n", "#SBATCH --time=00:02:00\n#SBATCH --gres=gpu:5\n", StringComparison.Ordinal),
            _dir, token));
        Assert.That(e!.Message, Does.Contain("sbatch --parsable").And.Contains("Requested node configuration is not available").And.Contains("Hint:"));
    }

    [Test, CancelAfter(30_000)]
    public async Task Unknown_job_is_null_not_finished(CancellationToken token)
    {
        Assert.That(await _slurm.ShowJobAsync("999999", token), Is.Null);
        Assert.That(await _slurm.QueryAsync(["999999"], token), Is.Empty);
    }
}
