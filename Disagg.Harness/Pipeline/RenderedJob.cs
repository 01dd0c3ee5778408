using Disagg.Harness.Rendering;

namespace Disagg.Harness.Pipeline;

/// <summary>The render stage's result: the job plan and the cluster-side workspace its files were written to.</summary>
public sealed record RenderedJob(JobPlan Plan, string Workspace)
{
    /// <summary>The workspace's files a diagnosis package collects before the job is known: logs first, then what was rendered.</summary>
    public IReadOnlyList<string> KnownFiles(string? jobId) =>
    [
        .. Plan.ServerLogs, JobFiles.BenchmarkLog, JobFiles.InstallLog, JobFiles.Phases, .. Plan.Files.Select(f => f.Name),
        .. jobId is null ? Array.Empty<string>() : [JobFiles.SlurmErr(jobId), JobFiles.SlurmOut(jobId)],
    ];
}
