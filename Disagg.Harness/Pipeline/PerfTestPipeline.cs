using System.Diagnostics;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Publishing;
using Disagg.Harness.Rendering;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Pipeline;

/// <summary>
/// One perf test end to end: settings → render → submit → follow → collect → judge → publish → package. Each stage returns
/// a typed result; whichever stage fails, the test still ends with a complete <see cref="TestRunResult"/> (results.json,
/// the diagnosis archive of a failed test, what was uploaded). The job is never left behind.
/// </summary>
public sealed class PerfTestPipeline(RunContext context, PipelineServices services)
{
    /// <summary>Room for SLURM to start and stop a job around its own time limit.</summary>
    private static readonly TimeSpan TimeLimitMargin = TimeSpan.FromMinutes(3);

    public async Task<TestRunResult> RunAsync(PerfCase testCase, Action<string> sink, CancellationToken cancellationToken)
    {
        var log = new RunLog(sink, context.Time);
        var stages = new StageRecorder();
        var clock = Stopwatch.StartNew();
        var testId = testCase.TestId;
        var localDir = context.Workspaces.LocalPath(testId);
        if (testCase.Error is not null || testCase.Config is null)
            return Ended(testCase,
                stages.Fail(PipelineStage.Settings, JudgedRun.Unsubmitted(testId, localDir, testCase.Error ?? "no config", clock.Elapsed)),
                log, stages);

        OverrideResult overridden;
        try
        {
            overridden = EnvironmentOverrides.Apply(testCase.Config, name => services.Environment.GetValueOrDefault(name));
        }
        catch (ConfigException e)
        {
            // An override (a CI variable) that breaks the rule of the key it replaces: a configuration error, nothing is submitted.
            var problem = "an environment override is invalid; nothing was submitted:\n" + string.Join('\n', e.Errors);
            return Ended(testCase, stages.Fail(PipelineStage.Settings, JudgedRun.Unsubmitted(testId, localDir, problem, clock.Elapsed)), log, stages);
        }
        foreach (var line in overridden.Log) log.Write("environment override " + line);
        var config = overridden.Config;
        if (PlaceholderCheck.Unresolved(config) is { Count: > 0 } unresolved)
        {
            var problem = "the config still has values only the environment can fill; nothing was submitted:\n" + string.Join('\n', unresolved);
            return Ended(testCase, stages.Fail(PipelineStage.Settings, JudgedRun.Unsubmitted(testId, localDir, problem, clock.Elapsed)), log, stages);
        }

        if (services.DryRun) return Ended(testCase, await DryRunAsync(config, testId, stages, log, cancellationToken).ConfigureAwait(false), log, stages);

        ResultPublisher? publisher = null;
        if (!testCase.Options.Upload)
            stages.Skip(PipelineStage.Settings, "uploads off for this list entry (disagg- rather than disagg_upload-)");
        else if (services.Publisher is { } create)
        {
            try
            {
                publisher = create(log.Write);
            }
            catch (UploadException e)
            {
                var problem = $"upload configuration is invalid; nothing was submitted. {e.Message}";
                return Ended(testCase, stages.Fail(PipelineStage.Settings, JudgedRun.Unsubmitted(testId, localDir, problem, clock.Elapsed)), log, stages);
            }
        }

        await using var turn = await services.Isolation.EnterAsync(testCase.Options.Isolation, cancellationToken).ConfigureAwait(false);
        var state = new RunState();
        JudgedRun run;
        try
        {
            run = await RunJobAsync(testCase, config, state, stages, log, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            state.Error = e;
            var stopped = e is OperationCanceledException && cancellationToken.IsCancellationRequested ? "the test was stopped" : "the run broke";
            var problem = $"{stopped} during {stages.Current.ToString().ToLowerInvariant()}: {Describe(e)}";
            log.Write(problem);
            run = new JudgedRun(testId, localDir, state.JobId, null, null, [problem], [], state.Followed?.Phases ?? [], clock.Elapsed);
        }

        var result = await PublishAsync(testCase, config, run, state.Error is null ? publisher : null, stages, log).ConfigureAwait(false);
        if (!run.Passed)
        {
            var archive = await stages.TimeAsync(PipelineStage.Package,
                () => PackageStage.RunAsync(context, state.Rendered, context.Workspaces.ClusterPath(testId), run, log.Lines, state.Error, log.Write),
                a => a is null ? (StageStatus.Failed, "no diagnosis package could be built") : (StageStatus.Done, a)).ConfigureAwait(false);
            result = result with { DiagnosisArchive = archive };
        }
        return result with { Stages = stages.Results, LogLines = log.Lines };
    }

    private async Task<JudgedRun> RunJobAsync(PerfCase testCase, DisaggConfig config, RunState state, StageRecorder stages, RunLog log, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var testId = testCase.TestId;
        var workspace = context.Workspaces.ClusterPath(testId);
        var rendered = await stages.TimeAsync(PipelineStage.Render,
            () => RenderStage.RunAsync(context, config, testId, context.Files, workspace, cancellationToken),
            r => (StageStatus.Done, $"{r.Plan.Files.Count} files in {workspace}")).ConfigureAwait(false);
        state.Rendered = rendered;
        log.Write($"rendered {rendered.Plan.Files.Count} files into {workspace}");

        var (jobId, rejection) = await stages.TimeAsync(PipelineStage.Submit, () => SubmitStage.RunAsync(context, rendered, cancellationToken),
            s => s.JobId is null ? (StageStatus.Failed, s.Rejection!) : (StageStatus.Done, "job " + s.JobId)).ConfigureAwait(false);
        if (jobId is null)
        {
            log.Write("submission rejected");
            return JudgedRun.Unsubmitted(testId, context.Workspaces.LocalPath(testId), rejection!, clock.Elapsed);
        }
        state.JobId = jobId;
        log.Write($"submitted job {jobId} ({rendered.Plan.Placement.TotalNodes} node(s), time limit {JobTime.Format(rendered.Plan.TimeLimit)})");

        var wallLimit = rendered.Plan.TimeLimit + TimeLimitMargin;
        if (testCase.Options.Timeout is { } listTimeout && listTimeout < wallLimit) wallLimit = listTimeout;
        var followed = await stages.TimeAsync(PipelineStage.Follow,
            () => FollowStage.RunAsync(context, rendered, jobId, wallLimit, log.Write, cancellationToken, config.Regression.Confirms
                ? new LiveConfirmer(context, services, config, testId, rendered.Workspace, rendered.Plan.TimeLimit, log.Write) : null),
            f => f.Problems.Count == 0 ? (StageStatus.Done, "the job ended") : (StageStatus.Failed, f.Problems[0])).ConfigureAwait(false);
        state.Followed = followed;

        var collected = await stages.TimeAsync(PipelineStage.Collect,
            () => CollectStage.RunAsync(context, config, testId, rendered, jobId, followed, cancellationToken),
            c => (c.Outcome?.Completed == true ? StageStatus.Done : StageStatus.Failed,
                c.Outcome?.Describe() ?? "SLURM no longer knows the job")).ConfigureAwait(false);

        return await stages.TimeAsync(PipelineStage.Judge,
            () => JudgeStage.RunAsync(context, services, config, testId, rendered, jobId, followed, collected, clock.Elapsed, log.Write, cancellationToken),
            j => j.Passed ? (StageStatus.Done, "passed") : (StageStatus.Failed, j.Report.Message.Split('\n')[0])).ConfigureAwait(false);
    }

    private async Task<TestRunResult> PublishAsync(PerfCase testCase, DisaggConfig config, JudgedRun run, ResultPublisher? publisher, StageRecorder stages,
        RunLog log)
    {
        try
        {
            // Uploads of a test that was stopped still go out: its verdict is final, and the outbox makes them exactly-once.
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var published = await stages.TimeAsync(PipelineStage.Publish,
                () => PublishStage.RunAsync(run, config, publisher, context.Settings.ResultsDir, log.Write, timeout.Token),
                p => p.Warning is null ? (StageStatus.Done, p.Upload is null ? "results.json only" : "uploaded") : (StageStatus.Failed, p.Warning))
                .ConfigureAwait(false);
            return new TestRunResult(testCase, run, []) { ResultsFile = published.ResultsFile, Upload = published.Upload, UploadWarning = published.Warning };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException or InvalidOperationException)
        {
            var warning = $"results of {run.TestId} could not be written or uploaded (the perf verdict is unaffected): {Describe(e)}";
            log.Write(warning);
            return new TestRunResult(testCase, run, []) { UploadWarning = warning };
        }
    }

    private async Task<JudgedRun> DryRunAsync(DisaggConfig config, string testId, StageRecorder stages, RunLog log, CancellationToken cancellationToken)
    {
        var dir = context.Workspaces.LocalPath(testId);
        var rendered = await stages.TimeAsync(PipelineStage.Render,
            () => RenderStage.RunAsync(context, config, testId, new Cluster.LocalClusterFiles(), dir, cancellationToken),
            r => (StageStatus.Done, $"{r.Plan.Files.Count} files in {dir}")).ConfigureAwait(false);
        stages.Skip(PipelineStage.Submit, "dry run");
        log.Write($"dry run: rendered {rendered.Plan.Files.Count} files into {dir} (sbatch script {Path.Combine(dir, JobFiles.BatchScript)}); "
                  + "nothing was submitted");
        return new JudgedRun(testId, dir, null, null, null, [], [], [], TimeSpan.Zero);
    }

    private static TestRunResult Ended(PerfCase testCase, JudgedRun run, RunLog log, StageRecorder? stages = null) =>
        new(testCase, run, stages?.Results ?? []) { LogLines = log.Lines };

    private static string Describe(Exception e) => e is Cluster.CommandFailedException ? e.Message : $"{e.GetType().Name}: {e.Message}";

    /// <summary>What the stages learned so far, for the packager when a later stage throws.</summary>
    private sealed class RunState
    {
        public RenderedJob? Rendered { get; set; }
        public string? JobId { get; set; }
        public FollowedJob? Followed { get; set; }
        public Exception? Error { get; set; }
    }
}
