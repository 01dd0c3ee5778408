namespace Disagg.Harness.Cluster;

/// <summary>
/// The one "scancel, then wait until SLURM shows the end" routine: used by the runner's signal handler, by
/// <c>disagg cancel</c> and by each test's own end. The wait is bounded and polls with one squeue for all jobs,
/// because a job's outcome read right after scancel still says RUNNING.
/// </summary>
public sealed class JobCanceller(SlurmClient slurm, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(400);

    /// <summary>scancel every job in one call, then wait at most <paramref name="wait"/> for each to be terminal or gone.</summary>
    public async Task<CancelOutcome> CancelAndWaitAsync(IReadOnlyList<string> jobs, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0) return new CancelOutcome(jobs, new Dictionary<string, string>(), []);
        await slurm.CancelAsync(jobs, cancellationToken).ConfigureAwait(false);
        return await WaitForEndAsync(jobs, wait, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits (no scancel) at most <paramref name="wait"/> until every job is terminal or gone.</summary>
    public async Task<CancelOutcome> WaitForEndAsync(IReadOnlyList<string> jobs, TimeSpan wait, CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        var active = jobs.ToList();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            while (active.Count > 0)
            {
                var snapshots = await slurm.QueryAsync(active, timeout.Token).ConfigureAwait(false);
                foreach (var job in active)
                    states[job] = snapshots.TryGetValue(job, out var s) ? s.State : "gone";
                active = active.Where(j => snapshots.TryGetValue(j, out var s) && !s.IsTerminal).ToList();
                if (active.Count > 0) await Task.Delay(PollInterval, time, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Waited long enough: the jobs still active are reported to the caller.
        }
        catch (CommandFailedException) when (!cancellationToken.IsCancellationRequested)
        {
            // SLURM could not be asked: the jobs not yet seen ending are reported as still active.
        }
        return new CancelOutcome(jobs, states, active);
    }
}
