using Disagg.Harness.Cli;
using Disagg.Harness.Cluster;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Cli;

/// <summary>cancel &lt;run-id&gt; on the local SLURM cluster: exactly the run's jobs end CANCELLED, others are untouched.</summary>
[RequiresCluster(Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed class CancelOnClusterTests
{
    private readonly List<string> _submitted = [];
    private readonly LocalCommandRunner _runner = new();

    private async Task<string> Sbatch(params string[] extra)
    {
        var partition = Environment.GetEnvironmentVariable("DISAGG_SLURM_PARTITION") is { Length: > 0 } p ? p : "debug";
        var result = await _runner.RunAsync(Command.Of("sbatch", ["--parsable", $"--partition={partition}", "--job-name=disagg-cancel-test",
            "--output=/dev/null", "--error=/dev/null", "--time=10", .. extra, "--wrap=sleep 300"])
                .InDirectory(Path.GetTempPath()).WithTimeout(TimeSpan.FromMinutes(1)), CancellationToken.None);
        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
        var id = result.StandardOutput.Trim().Split(';')[0];
        _submitted.Add(id);
        return id;
    }

    private async Task<string> State(string job)
    {
        var outcome = await new SlurmClient(_runner, TimeProvider.System).ShowJobAsync(job, CancellationToken.None);
        return outcome?.State ?? "gone";
    }

    [TearDown]
    public async Task CancelEverythingSubmitted()
    {
        foreach (var job in _submitted)
            await _runner.RunAsync(Command.Of("scancel", job).WithTimeout(TimeSpan.FromSeconds(30)), CancellationToken.None);
    }

    [Test, CancelAfter(120_000)]
    public async Task Cancel_ends_exactly_the_two_jobs_of_the_run()
    {
        var runId = "cli-cancel-" + Guid.NewGuid().ToString("N")[..8];
        var first = await Sbatch($"--comment=disagg-run={runId}");
        var second = await Sbatch($"--comment=disagg-run={runId}");
        var other = await Sbatch($"--comment=disagg-run={runId}-other");
        var plain = await Sbatch();

        await using var output = new StringWriter();
        await using var error = new StringWriter();
        var code = await CancelCommand.RunAsync(runId, TimeSpan.FromSeconds(60), _runner, TimeProvider.System, output, error, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), output + "\n" + error);
            // Compare whole job ids: on a fresh cluster ids are small numbers that also occur inside other text.
            var text = output.ToString();
            var scancelled = text.Split('\n').Single(l => l.StartsWith("scancel ", StringComparison.Ordinal)).Split(' ')[1..];
            Assert.That(scancelled, Is.EquivalentTo(new[] { first, second }));
            Assert.That(text, Does.Contain($"job {first}: ").And.Contain($"job {second}: ")
                .And.Not.Contain($"job {other}: ").And.Not.Contain($"job {plain}: "));
            Assert.That(await State(first), Is.EqualTo("CANCELLED"));
            Assert.That(await State(second), Is.EqualTo("CANCELLED"));
            Assert.That(await State(other), Is.AnyOf("PENDING", "RUNNING", "CONFIGURING"), "a job of another run (same prefix) is untouched");
            Assert.That(await State(plain), Is.AnyOf("PENDING", "RUNNING", "CONFIGURING"), "a job without a run comment is untouched");
        }
    }
}
