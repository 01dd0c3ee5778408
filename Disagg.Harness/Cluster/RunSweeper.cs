namespace Disagg.Harness.Cluster;

/// <summary>
/// <c>disagg cancel &lt;run-id&gt;</c>: finds the live jobs of a run by their comment (<c>disagg-run=&lt;run-id&gt;</c>, see
/// <see cref="RunComment"/>) with one squeue call, scancels them and waits until SLURM shows each one ended.
/// A failed squeue is retried and then thrown, never read as "no jobs".
/// </summary>
public sealed class RunSweeper(ICommandRunner runner, TimeProvider time)
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);
    private readonly SlurmClient _slurm = new(runner, time);

    /// <summary>Job ids whose comment is exactly <c>disagg-run=&lt;runId&gt;</c> among pending, running, configuring and completing jobs.</summary>
    public async Task<IReadOnlyList<string>> FindAsync(string runId, CancellationToken cancellationToken)
    {
        var command = Command.Of("squeue", "-h", "-t", "pending,running,configuring,completing", "-o", "%i|%k").WithTimeout(QueryTimeout);
        var result = await QueryAsync(command, cancellationToken).ConfigureAwait(false);
        var comment = RunComment.For(runId);
        var ids = new List<string>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var bar = line.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0) continue;
            if (line[(bar + 1)..].Trim() == comment) ids.Add(line[..bar].Trim());
        }
        return ids;
    }

    /// <summary>scancel every job of the run, then poll (one squeue per round) until each is terminal or gone, at most <paramref name="wait"/>.</summary>
    public async Task<SweepResult> SweepAsync(string runId, TimeSpan wait, Action<string> log, CancellationToken cancellationToken)
    {
        var found = await FindAsync(runId, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0) return new SweepResult(found, new Dictionary<string, string>(), []);
        log($"run {runId}: {found.Count} job(s) in the queue: {string.Join(", ", found)}");
        var outcome = await new JobCanceller(_slurm, time).CancelAndWaitAsync(found, wait, cancellationToken).ConfigureAwait(false);
        log($"scancel {string.Join(' ', found)}");
        return new SweepResult(found, outcome.FinalStates, outcome.StillActive);
    }

    private async Task<CommandResult> QueryAsync(Command command, CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            CommandResult? result = null;
            try
            {
                result = await runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
                if (result.IsSuccess) return result;
            }
            catch (CommandFailedException) when (attempt < attempts)
            {
            }
            if (attempt >= attempts)
                throw new CommandFailedException(result!, $"squeue failed {attempts} times; is slurmctld up? ('scontrol ping'). No job was cancelled.");
            await Task.Delay(TimeSpan.FromSeconds(attempt), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
