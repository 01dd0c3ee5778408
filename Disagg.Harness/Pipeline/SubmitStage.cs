using Disagg.Harness.Cluster;
using Disagg.Harness.Execution;
using Disagg.Harness.Rendering;

namespace Disagg.Harness.Pipeline;

/// <summary>Submit: one <c>sbatch --parsable</c>, never retried (a retry could start the job twice).</summary>
public static class SubmitStage
{
    /// <summary>The job id, or the rejection message when SLURM refused the script (no job exists then).</summary>
    public static async Task<(string? JobId, string? Rejection)> RunAsync(RunContext context, RenderedJob job, CancellationToken cancellationToken,
        IReadOnlyCollection<string>? exclude = null)
    {
        try
        {
            var jobId = await context.Slurm.SubmitAsync(Path.Combine(job.Workspace, JobFiles.BatchScript), job.Workspace, cancellationToken, exclude)
                .ConfigureAwait(false);
            return (jobId, null);
        }
        catch (CommandFailedException e)
        {
            return (null, $"submission rejected, no job was started: {e.Message}");
        }
    }
}
