using Disagg.Harness.Cluster;

namespace Disagg.Harness.Tests.Cluster;

public sealed class JobOutcomeTests
{
    [TestCase("COMPLETED", "0:0", JobOutcomeKind.Completed, true)]
    [TestCase("COMPLETED", "0:9", JobOutcomeKind.Completed, false)]
    [TestCase("FAILED", "3:0", JobOutcomeKind.Failed, false)]
    [TestCase("TIMEOUT", "0:15", JobOutcomeKind.TimedOut, false)]
    [TestCase("CANCELLED by 1000", "0:0", JobOutcomeKind.Cancelled, false)]
    [TestCase("NODE_FAIL", "0:9", JobOutcomeKind.NodeFailure, false)]
    [TestCase("PREEMPTED", "0:0", JobOutcomeKind.Preempted, false)]
    [TestCase("OUT_OF_MEMORY", "0:125", JobOutcomeKind.OutOfMemory, false)]
    public void Only_completed_with_exit_zero_can_pass(string state, string exit, JobOutcomeKind kind, bool completed)
    {
        var outcome = new JobOutcome("7", state, exit, "0:0", "None", "node1", "");
        Assert.That((outcome.Kind, outcome.Completed), Is.EqualTo((kind, completed)));
    }

    [Test]
    public void Cancelled_names_who_did_it_when_slurm_says()
    {
        var outcome = new JobOutcome("7", "CANCELLED by 1000", "0:0", "0:0", "None", "node1", "");
        Assert.That(outcome.Describe(), Does.StartWith("job 7 was cancelled by uid 1000: state CANCELLED by 1000"));
    }

    [Test]
    public async Task A_purged_job_is_read_from_accounting_and_is_null_without_it()
    {
        var withAccounting = new SlurmClient(new Scripted(sacct: "9|TIMEOUT|0:15|0:0|TimeLimit|node[1-2]\n"), TimeProvider.System);
        var withoutAccounting = new SlurmClient(new Scripted(sacct: null), TimeProvider.System);
        var outcome = await withAccounting.ShowJobAsync("9", CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome?.Kind, Is.EqualTo(JobOutcomeKind.TimedOut));
            Assert.That(outcome?.Nodes, Is.EqualTo("node[1-2]"));
            Assert.That(await withoutAccounting.ShowJobAsync("9", CancellationToken.None), Is.Null, "no accounting: the job is lost, never finished");
        }
    }

    /// <summary>scontrol no longer knows the job; sacct answers or says accounting is disabled.</summary>
    private sealed class Scripted(string? sacct) : ICommandRunner
    {
        public Task<CommandResult> RunAsync(Command command, CancellationToken cancellationToken) => Task.FromResult(command.Program switch
        {
            "scontrol" => new CommandResult(command, 1, "", "slurm_load_jobs error: Invalid job id specified", TimeSpan.Zero),
            "sacct" when sacct is not null => new CommandResult(command, 0, sacct, "", TimeSpan.Zero),
            "sacct" => new CommandResult(command, 1, "", "sacct: error: Slurm accounting storage is disabled", TimeSpan.Zero),
            _ => throw new InvalidOperationException(command.ToString()),
        });
    }
}
