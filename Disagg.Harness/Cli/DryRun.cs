using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Rendering;

namespace Disagg.Harness.Cli;

/// <summary>
/// <c>run_disagg_test.sh --dry-run</c> sets <c>DISAGG_DRY_RUN=1</c>; the perf fixture then renders each selected test's
/// job into <c>&lt;results&gt;/&lt;test id&gt;</c> exactly as a run would (same workspace path, run id comment) and submits nothing.
/// </summary>
public static class DryRun
{
    public const string Variable = "DISAGG_DRY_RUN";

    public static bool Enabled(Func<string, string?> environment) =>
        environment(Variable)?.Trim().ToLowerInvariant() is "1" or "true";

    /// <summary>Renders the job the runner would submit; returns a one-line description of what was written.</summary>
    public static string Render(RunContext context, DisaggConfig config, string testId)
    {
        var plan = JobRenderer.Render(config, context.Profile, new RenderContext(testId, context.Workspaces.ClusterPath(testId), config.SourceFile, context.Settings.RunId));
        var dir = context.Workspaces.LocalPath(testId);
        var files = RenderCommand.WriteJob(plan, dir);
        return $"dry run: rendered {files.Count} files into {dir} (sbatch script {Path.Combine(dir, JobFiles.BatchScript)}); nothing was submitted";
    }
}
