using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Rendering;
using Disagg.Harness.Results;

namespace Disagg.Harness.Pipeline;

/// <summary>
/// Collect: read the job's end from SLURM (a COMPLETED job must also have written its success marker), read and parse
/// its folder through <see cref="JobWorkspace"/>, and copy the workspace back when it lives on a remote cluster.
/// </summary>
public static class CollectStage
{
    public static async Task<CollectedRun> RunAsync(RunContext context, DisaggConfig config, string testId, RenderedJob job, string jobId,
        FollowedJob followed, CancellationToken cancellationToken)
    {
        var outcome = await context.Slurm.ShowJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        var workspace = new JobWorkspace(context.Files, job.Workspace);
        var problems = new List<string>(followed.Problems);
        if (outcome is null)
            problems.Add($"job {jobId} is unknown to SLURM (purged before its end was seen); its state cannot be trusted");
        else if (!outcome.Completed)
            problems.Add(outcome.Describe());
        var completed = outcome?.Completed == true;
        if (completed && !await workspace.HasDoneMarkerAsync(jobId, cancellationToken).ConfigureAwait(false))
            problems.Add($"job {jobId} ended COMPLETED but wrote no success marker {JobFiles.DoneMarker(jobId)}");
        var collected = await JobCollector.CollectAsync(workspace, config, completed, cancellationToken).ConfigureAwait(false);
        problems.AddRange(await context.CollectWorkspaceAsync(testId, cancellationToken).ConfigureAwait(false));
        return new CollectedRun(outcome, problems, collected, workspace);
    }
}
