using Disagg.Harness.Common;
using Disagg.Harness.Configuration;
using Disagg.Harness.Diagnostics;
using Disagg.Harness.Execution;
using Disagg.Harness.Publishing;
using Disagg.Harness.Rendering;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Pipeline;

/// <summary>
/// Judge: the one judge (<see cref="JobJudge"/>, shared with <c>disagg reevaluate</c>) with the run's history and CI
/// context; whatever failed, the first error lines of the job's logs say why (unless following already quoted them).
/// </summary>
public static class JudgeStage
{
    public static async Task<JudgedRun> RunAsync(RunContext context, PipelineServices services, DisaggConfig config, string testId, RenderedJob job,
        string jobId, FollowedJob followed, CollectedRun collected, TimeSpan elapsed, Action<string> log, CancellationToken cancellationToken)
    {
        var (history, line) = services.History(log);
        log(line);
        var facts = await collected.Workspace.ReadTextAsync(JobFiles.SystemFacts, cancellationToken).ConfigureAwait(false);
        var gpuType = GpuTypeResolver.Resolve(services.Environment, facts);
        var regression = RegressionContextFactory.For(testId, config, services.Environment, context.Time.GetUtcNow(), gpuType,
            context.Profile.Name);
        var judged = await JobJudge.JudgeAsync(config, collected.Job, history, regression, cancellationToken).ConfigureAwait(false);
        var problems = new List<string>(collected.Problems);
        problems.AddRange(judged.Problems);
        if (problems.Count > 0 && followed.FirstErrors.Count == 0)
            problems.AddRange(await FirstErrorsAsync(collected, job, jobId, cancellationToken).ConfigureAwait(false));
        foreach (var warning in judged.Warnings) log("warning: " + warning);
        return new JudgedRun(testId, context.Workspaces.LocalPath(testId), jobId, collected.Outcome, collected.Job.Benchmark, problems, judged.Verdicts,
            followed.Phases, elapsed)
        {
            Regression = judged.Regression,
            RegressionCases = judged.RegressionCases,
            GpuType = gpuType,
            Accuracy = judged.Accuracy,
            Warnings = [.. followed.Warnings, .. judged.Warnings],
            StepTimes = judged.StepTimes,
            Blocks = judged.Blocks,
            ServersNeverLoaded = collected.Job.ServersNeverLoaded,
        };
    }

    /// <summary>The job's own "Error:" line says why it stopped; the logs it stopped come after it.</summary>
    private static async Task<IReadOnlyList<string>> FirstErrorsAsync(CollectedRun collected, RenderedJob job, string jobId,
        CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var name in new[] { JobFiles.SlurmErr(jobId), JobFiles.BenchmarkLog, JobFiles.InstallLog }.Concat(job.Plan.ServerLogs))
        {
            var text = await collected.Workspace.ReadTextAsync(name, cancellationToken).ConfigureAwait(false);
            if (text is not null && LogExcerpt.FirstError(collected.Workspace.PathOf(name), text) is { } hit)
                found.Add("first error: " + hit);
        }
        return found;
    }
}
