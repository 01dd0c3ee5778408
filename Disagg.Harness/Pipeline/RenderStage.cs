using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Rendering;

namespace Disagg.Harness.Pipeline;

/// <summary>Render: the pure renderer, then every file written into the workspace (on the cluster, or locally for a dry run).</summary>
public static class RenderStage
{
    public static async Task<RenderedJob> RunAsync(RunContext context, DisaggConfig config, string testId, IClusterFiles files, string workspace,
        CancellationToken cancellationToken)
    {
        var plan = JobRenderer.Render(config, context.Profile,
            new RenderContext(testId, context.Workspaces.ClusterPath(testId), config.SourceFile, context.Settings.RunId));
        await files.CreateDirectoryAsync(workspace, cancellationToken).ConfigureAwait(false);
        foreach (var file in plan.Files)
            await files.WriteAsync(Path.Combine(workspace, file.Name), file.Content, file.Executable, cancellationToken).ConfigureAwait(false);
        return new RenderedJob(plan, workspace);
    }
}
