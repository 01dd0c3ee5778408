using Disagg.Harness.Execution;

namespace Disagg.Harness.Pipeline;

/// <summary>
/// Follow: watch the job until SLURM shows its end, a fatal log line, a dead step or a timeout. The job is never left
/// behind: a job that hit a fatal line gets <see cref="JobGrace"/> to package its logs and end by itself, and every
/// other exit that did not see the end cancels it and waits until SLURM shows it ended.
/// </summary>
public static class FollowStage
{
    /// <summary>How long a job that hit a fatal line gets to package its logs and end before scancel.</summary>
    public static readonly TimeSpan JobGrace = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(60);

    public static async Task<FollowedJob> RunAsync(RunContext context, RenderedJob job, string jobId, TimeSpan wallLimit, Action<string> log,
        CancellationToken cancellationToken, LiveConfirmer? confirmer = null)
    {
        var follow = new JobFollow(context, job.Plan, job.Workspace, jobId, log) { OnPhase = confirmer is null ? null : confirmer.OnPhaseAsync };
        context.Monitor.Track(jobId);
        try
        {
            await follow.RunAsync(wallLimit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await EndJobAsync(context, follow, jobId, log).ConfigureAwait(false);
            await follow.RemoveHeartbeatAsync().ConfigureAwait(false);
            context.Monitor.Untrack(jobId);
        }
        return new FollowedJob([.. follow.Problems], [.. follow.FirstErrors], [.. follow.Phases], follow.SawTerminal)
        {
            Warnings = confirmer is null ? [] : [.. confirmer.Warnings],
        };
    }

    private static async Task EndJobAsync(RunContext context, JobFollow follow, string jobId, Action<string> log)
    {
        if (follow.SawTerminal) return;
        if (follow.FirstErrors.Count > 0)
        {
            var ended = await context.Canceller.WaitForEndAsync([jobId], JobGrace, CancellationToken.None).ConfigureAwait(false);
            if (ended.AllEnded) return;
        }
        log($"cancelling job {jobId}: {follow.StopReason ?? "the test was stopped"}");
        await context.Canceller.CancelAndWaitAsync([jobId], CancelWait, CancellationToken.None).ConfigureAwait(false);
    }
}
