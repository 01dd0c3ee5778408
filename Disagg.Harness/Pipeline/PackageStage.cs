using Disagg.Harness.Diagnostics;
using Disagg.Harness.Execution;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Pipeline;

/// <summary>Package: a failed test gets its failure-diagnosis archive (the job's own, or one the runner builds). Never throws.</summary>
public static class PackageStage
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static async Task<string?> RunAsync(RunContext context, RenderedJob? job, string workspace, JudgedRun run, IReadOnlyList<string> logLines,
        Exception? error, Action<string> log)
    {
        // Runs after a cancelled test too, so it has its own bounded time instead of the test's token.
        using var timeout = new CancellationTokenSource(Limit);
        var input = new DiagnosisInput(workspace, run.JobId, job?.KnownFiles(run.JobId) ?? [], logLines, run, error);
        return await DiagnosisPackager.FindOrBuildAsync(context, input, log, timeout.Token).ConfigureAwait(false);
    }
}
