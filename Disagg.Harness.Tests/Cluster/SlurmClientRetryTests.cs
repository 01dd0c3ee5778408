using Disagg.Harness.Cluster;
using Disagg.Harness.Tests.Publishing;

namespace Disagg.Harness.Tests.Cluster;

/// <summary>SlurmClient's retries against a scripted runner: queries ride out a flaky controller, sbatch runs exactly once.</summary>
public sealed class SlurmClientRetryTests
{
    /// <summary>Fails the first <paramref name="failures"/> calls (by exit code or by throwing), then answers.</summary>
    private sealed class FlakyRunner(int failures, bool throwing, string answer) : ICommandRunner
    {
        public List<Command> Calls { get; } = [];

        public Task<CommandResult> RunAsync(Command command, CancellationToken cancellationToken)
        {
            Calls.Add(command);
            if (Calls.Count > failures) return Task.FromResult(new CommandResult(command, 0, answer, "", TimeSpan.Zero));
            var failed = new CommandResult(command, 1, "", "slurm_load_jobs error: Socket timed out on send/recv operation", TimeSpan.Zero);
            return throwing ? throw new CommandFailedException(failed, "the command hung") : Task.FromResult(failed);
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_query_is_repeated_with_backoff_until_the_controller_answers(bool throwing)
    {
        var runner = new FlakyRunner(failures: 3, throwing, "42|RUNNING|None|node1\n");
        var time = new ImmediateTime();

        var jobs = await new SlurmClient(runner, time).QueryAsync(["42"], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(jobs["42"].State, Is.EqualTo("RUNNING"));
            Assert.That(runner.Calls, Has.Count.EqualTo(SlurmClient.QueryAttempts));
            Assert.That(time.Delays, Is.EqualTo(new[] { 1, 2, 4 }.Select(s => TimeSpan.FromSeconds(s))));
        }
    }

    [Test]
    public void A_query_that_keeps_failing_is_an_error_naming_the_attempts_never_an_empty_answer()
    {
        var runner = new FlakyRunner(failures: int.MaxValue, throwing: false, "");

        var error = Assert.ThrowsAsync<CommandFailedException>(() => new SlurmClient(runner, new ImmediateTime()).QueryAsync(["42"], CancellationToken.None));

        Assert.That(error!.Hint, Is.EqualTo($"squeue failed {SlurmClient.QueryAttempts} times; is slurmctld up? ('scontrol ping')"));
        Assert.That(runner.Calls, Has.Count.EqualTo(SlurmClient.QueryAttempts));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Sbatch_is_never_repeated_even_when_its_failure_looks_transient(bool throwing)
    {
        var runner = new FlakyRunner(failures: 1, throwing, "123\n");
        var time = new ImmediateTime();

        Assert.ThrowsAsync<CommandFailedException>(() => new SlurmClient(runner, time).SubmitAsync("/w/job.sh", "/w", CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(runner.Calls.Select(c => c.Program), Is.EqualTo(new[] { "sbatch" }), "a second sbatch would start a second job");
            Assert.That(time.Delays, Is.Empty);
        }
    }
}
