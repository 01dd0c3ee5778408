using Disagg.Harness.Cli;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Tests.Publishing;

namespace Disagg.Harness.Tests.Cli;

/// <summary>cancel &lt;run-id&gt; against a scripted runner: one squeue finds the run's jobs by exact comment, failures are never "no jobs".</summary>
public sealed class CancelCommandTests
{
    /// <summary>Answers squeue from a script and records every command.</summary>
    private sealed class ScriptedRunner(Func<Command, CommandResult> answer) : ICommandRunner
    {
        public List<Command> Commands { get; } = [];

        public Task<CommandResult> RunAsync(Command command, CancellationToken cancellationToken)
        {
            lock (Commands) Commands.Add(command);
            return Task.FromResult(answer(command));
        }
    }

    private static CommandResult Ok(Command c, string stdout) => new(c, 0, stdout, "", TimeSpan.Zero);

    private static async Task<(int Code, string Out, string Err)> Cancel(string runId, ICommandRunner runner)
    {
        await using var output = new StringWriter();
        await using var error = new StringWriter();
        var code = await CancelCommand.RunAsync(runId, TimeSpan.FromSeconds(5), runner, new ImmediateTime(), output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public async Task One_squeue_call_finds_exactly_the_run_s_jobs_and_each_is_cancelled()
    {
        var cancelled = new HashSet<string>();
        var runner = new ScriptedRunner(c => c.Program switch
        {
            "squeue" when c.Arguments.Contains("%i|%k") => Ok(c, "101|disagg-run=r1\n102|disagg-run=r10\n103|(null)\n104|disagg-run=r1\n105|xdisagg-run=r1\n"),
            "scancel" => Ok(c, "").Also(() => cancelled.UnionWith(c.Arguments)),
            "squeue" => Ok(c, string.Join('\n', c.Arguments[c.Arguments.ToList().IndexOf("-j") + 1].Split(',').Select(j => $"{j}|CANCELLED|None|node1"))),
            _ => throw new InvalidOperationException(c.ToString()),
        });
        var (code, output, error) = await Cancel("r1", runner);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(cancelled, Is.EquivalentTo(new[] { "101", "104" }));
            Assert.That(runner.Commands[0].ToString(), Is.EqualTo("squeue -h -t pending,running,configuring,completing -o '%i|%k'"));
            Assert.That(runner.Commands.Count(c => c.Arguments.Contains("%i|%k")), Is.EqualTo(1));
            Assert.That(output, Does.Contain("job 101: CANCELLED").And.Contain("job 104: CANCELLED").And.Contain("cancel: 2 job(s) of run r1 ended"));
        }
    }

    [Test]
    public async Task No_job_of_the_run_is_exit_0_with_a_line()
    {
        var runner = new ScriptedRunner(c => Ok(c, "7|disagg-run=other\n"));
        var (code, output, _) = await Cancel("mine", runner);
        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output, Is.EqualTo($"cancel: no pending or running job of run mine (comment disagg-run=mine){Environment.NewLine}"));
        Assert.That(runner.Commands, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_raw_jenkins_run_id_finds_the_jobs_the_run_labelled_with_its_sanitised_form()
    {
        const string buildTag = "jenkins-jenkins-disagg-feature%2Fretry-12";
        var sanitised = RunIds.Resolve(buildTag, "/results/any");
        var runner = new ScriptedRunner(c => c.Program switch
        {
            "squeue" when c.Arguments.Contains("%i|%k") => Ok(c, $"7|disagg-run={sanitised}\n8|disagg-run={buildTag}\n"),
            "scancel" => Ok(c, ""),
            _ => Ok(c, "7|CANCELLED|None|node1\n"),
        });
        var (code, output, error) = await Cancel(buildTag, runner);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sanitised, Is.EqualTo("jenkins-jenkins-disagg-feature_retry-12"));
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(output, Does.StartWith($"cancel: run id '{buildTag}' is spelled '{sanitised}' on the cluster"));
            Assert.That(runner.Commands.Where(c => c.Program == "scancel").SelectMany(c => c.Arguments), Is.EqualTo(new[] { "7" }));
        }
    }

    [TestCase("")]
    [TestCase("  ")]
    public async Task An_empty_run_id_is_exit_2_and_asks_nothing_of_slurm(string runId)
    {
        var runner = new ScriptedRunner(c => throw new InvalidOperationException(c.ToString()));
        var (code, _, error) = await Cancel(runId, runner);
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.StartWith($"cancel: the run id '{runId}' is empty; pass the run's DISAGG_RUN_ID"));
    }

    [Test]
    public async Task A_failing_squeue_is_exit_1_and_nothing_is_cancelled()
    {
        var runner = new ScriptedRunner(c => new CommandResult(c, 1, "", "slurm_load_jobs error: Unable to contact slurm controller", TimeSpan.Zero));
        var (code, _, error) = await Cancel("r1", runner);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error, Does.StartWith("cancel: Command failed with exit code 1").And.Contain("Unable to contact slurm controller")
                .And.Contain("No job was cancelled"));
            Assert.That(runner.Commands.Select(c => c.Program), Has.All.EqualTo("squeue"));
        }
    }

    [Test]
    public async Task A_job_that_does_not_end_is_reported_with_exit_1()
    {
        var runner = new ScriptedRunner(c => c.Program switch
        {
            "squeue" when c.Arguments.Contains("%i|%k") => Ok(c, "55|disagg-run=stuck\n"),
            "scancel" => Ok(c, ""),
            _ => Ok(c, "55|COMPLETING|None|node1\n"),
        });
        await using var output = new StringWriter();
        await using var error = new StringWriter();
        var code = await CancelCommand.RunAsync("stuck", TimeSpan.FromSeconds(1.5), runner, TimeProvider.System, output, error, CancellationToken.None);
        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(error.ToString(), Does.StartWith("cancel: SLURM still shows 55 after 2 s"));
        Assert.That(output.ToString(), Does.Contain("job 55: COMPLETING"));
    }
}
