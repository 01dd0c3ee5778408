using System.Diagnostics;
using Disagg.Harness.Common;
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
        if (testCase.Options.StaleWaiver is { } stale) log.Write("stale waiver: " + stale);
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
        var attempts = new List<AttemptRecord>();
        var avoided = await SuspectNodesAsync(log, cancellationToken).ConfigureAwait(false);
        var excluded = new List<string>(avoided);
        for (var attempt = 1; ; attempt++)
        {
            stages.Attempt = attempt;
            state = new RunState();
            try
            {
                run = await RunJobAsync(testCase, config, state, stages, log, clock, excluded, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                state.Error = e;
                var stopped = e is OperationCanceledException && cancellationToken.IsCancellationRequested ? "the test was stopped" : "the run broke";
                var problem = $"{stopped} during {stages.Current.ToString().ToLowerInvariant()}: {Describe(e)}";
                log.Write(problem);
                run = new JudgedRun(testId, localDir, state.JobId, null, null, [problem], [], state.Followed?.Phases ?? [], clock.Elapsed);
                break;
            }
            if (run.Failure is not { Class: FailureClass.Infrastructure } failure) break;
            await RecordInLedgerAsync(testId, run, failure, log).ConfigureAwait(false);
            if (!ShouldRetry(testCase, attempt, clock, log, cancellationToken)) break;
            var kept = await KeepAttemptAsync(testId, attempt, log, cancellationToken).ConfigureAwait(false);
            attempts.Add(new AttemptRecord(attempt, run.JobId, run.Outcome?.Nodes ?? "", failure, [.. excluded], kept));
            excluded.AddRange(failure.Nodes.Where(n => !excluded.Contains(n, StringComparer.Ordinal)));
            log.Write($"{attempts[^1].Describe()}: retrying elsewhere (attempt {attempt + 1} of {1 + context.Settings.InfraRetries}), "
                      + $"sbatch --exclude={string.Join(',', excluded)}");
        }

        run = run with
        {
            EarlierAttempts = [.. attempts.Select(a => a.Describe())], AvoidedNodes = avoided, Cluster = context.Profile.Name,
            StaleWaiver = testCase.Options.StaleWaiver,
        };
        var result = await PublishAsync(testCase, config, run, state.Error is null ? publisher : null, stages, log).ConfigureAwait(false);
        if (!run.Passed)
        {
            var archive = await stages.TimeAsync(PipelineStage.Package,
                () => PackageStage.RunAsync(context, state.Rendered, context.Workspaces.ClusterPath(testId), run, log.Lines, state.Error, log.Write),
                a => a is null ? (StageStatus.Failed, "no diagnosis package could be built") : (StageStatus.Done, a)).ConfigureAwait(false);
            result = result with { DiagnosisArchive = archive };
        }
        result = result with { Stages = stages.Results, LogLines = log.Lines, EarlierAttempts = attempts, AvoidedNodes = avoided };
        if (run.Failure is { } classified) log.Write("failure class: " + classified.Describe());
        if (result.AttemptNote is { } note) log.Write("attempts: " + note);
        return result with { LogLines = log.Lines };
    }

    /// <summary>Room a retry needs inside the list's TIMEOUT; with less left the infrastructure failure is final.</summary>
    private static readonly TimeSpan MinRetryTime = TimeSpan.FromMinutes(1);

    private bool ShouldRetry(PerfCase testCase, int attempt, Stopwatch clock, RunLog log, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return false;
        if (attempt > context.Settings.InfraRetries)
        {
            log.Write($"infrastructure failure not retried: {context.Settings.InfraRetries} retr{(context.Settings.InfraRetries == 1 ? "y" : "ies")} "
                      + "allowed (--infra-retries)");
            return false;
        }
        if (testCase.Options.Timeout is { } timeout && timeout - clock.Elapsed < MinRetryTime)
        {
            log.Write($"infrastructure failure not retried: the list's TIMEOUT leaves {(timeout - clock.Elapsed).TotalSeconds:0} s");
            return false;
        }
        return true;
    }

    /// <summary>The nodes the ledger holds suspect, excluded from every submission of this test (--avoid-suspect-nodes); logged.</summary>
    private async Task<IReadOnlyList<string>> SuspectNodesAsync(RunLog log, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        if (!settings.AvoidSuspectNodes) return [];
        if (services.Ledger is not { } ledger)
        {
            log.Write("--avoid-suspect-nodes: no bad-node ledger (the Perf DB is off), no node excluded");
            return [];
        }
        try
        {
            var nodes = await ledger.NodesAsync(context.Time.GetUtcNow() - settings.SuspectWindow, settings.SuspectThreshold, context.Profile.Name,
                cancellationToken).ConfigureAwait(false);
            var suspects = nodes.Where(n => n.OverThreshold).Select(n => n.Node).ToList();
            log.Write(suspects.Count == 0
                ? $"--avoid-suspect-nodes: no node has {settings.SuspectThreshold}+ infrastructure failures in {settings.SuspectWindow.TotalDays:0} days"
                : $"--avoid-suspect-nodes: excluding suspect node(s) {string.Join(", ", nodes.Where(n => n.OverThreshold)
                    .Select(n => $"{n.Node} ({n.Failures.Count} infrastructure failure(s), last {n.Failures[0].Cause})"))}");
            return suspects;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException or TimeoutException)
        {
            log.Write($"--avoid-suspect-nodes: the ledger {ledger.Display} could not be read ({e.Message}); no node excluded");
            return [];
        }
    }

    private async Task RecordInLedgerAsync(string testId, JudgedRun run, FailureClassification failure, RunLog log)
    {
        if (services.Ledger is not { } ledger || failure.Nodes.Count == 0 || run.JobId is null) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var at = context.Time.GetUtcNow();
            await ledger.RecordAsync([.. failure.Nodes.Select(n => new NodeFailure(context.Settings.RunId, testId, run.JobId, n, context.Profile.Name,
                failure.Cause, failure.Evidence ?? "", at))], timeout.Token).ConfigureAwait(false);
            log.Write($"bad-node ledger {ledger.Display}: recorded {failure.Describe()}");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException or OperationCanceledException)
        {
            log.Write($"bad-node ledger {ledger.Display}: could not record {failure.Describe()}: {e.Message}");
        }
    }

    /// <summary>Moves the failed attempt's workspace aside (<c>&lt;test id&gt;.attempt1</c>) so the retry starts clean and its logs stay.</summary>
    private async Task<string?> KeepAttemptAsync(string testId, int attempt, RunLog log, CancellationToken cancellationToken)
    {
        var cluster = context.Workspaces.ClusterPath(testId);
        var kept = $"{cluster}.attempt{attempt}";
        try
        {
            var moved = await context.Runner.RunAsync(Cluster.Command.Of("mv", "-T", cluster, kept).WithTimeout(TimeSpan.FromMinutes(1)), cancellationToken)
                .ConfigureAwait(false);
            var local = context.Workspaces.LocalPath(testId);
            if (context.Workspaces.IsRemote && Directory.Exists(local)) Directory.Move(local, $"{local}.attempt{attempt}");
            if (moved.IsSuccess) return kept;
            log.Write($"attempt {attempt}'s workspace could not be kept: {moved.StandardError.Trim()}");
        }
        catch (Exception e) when (e is IOException or Cluster.CommandFailedException or UnauthorizedAccessException)
        {
            log.Write($"attempt {attempt}'s workspace could not be kept: {e.Message}");
        }
        return null;
    }

    private async Task<JudgedRun> RunJobAsync(PerfCase testCase, DisaggConfig config, RunState state, StageRecorder stages, RunLog log, Stopwatch clock,
        IReadOnlyCollection<string> exclude, CancellationToken cancellationToken)
    {
        var testId = testCase.TestId;
        var workspace = context.Workspaces.ClusterPath(testId);
        var rendered = await stages.TimeAsync(PipelineStage.Render,
            () => RenderStage.RunAsync(context, config, testId, context.Files, workspace, cancellationToken),
            r => (StageStatus.Done, $"{r.Plan.Files.Count} files in {workspace}")).ConfigureAwait(false);
        state.Rendered = rendered;
        log.Write($"rendered {rendered.Plan.Files.Count} files into {workspace}");

        var (jobId, rejection) = await stages.TimeAsync(PipelineStage.Submit, () => SubmitStage.RunAsync(context, rendered, cancellationToken, exclude),
            s => s.JobId is null ? (StageStatus.Failed, s.Rejection!) : (StageStatus.Done, "job " + s.JobId)).ConfigureAwait(false);
        if (jobId is null)
        {
            log.Write("submission rejected");
            return JudgedRun.Unsubmitted(testId, context.Workspaces.LocalPath(testId), rejection!, clock.Elapsed);
        }
        state.JobId = jobId;
        log.Write($"submitted job {jobId} ({rendered.Plan.Placement.TotalNodes} node(s), time limit {JobTime.Format(rendered.Plan.TimeLimit)}"
                  + (exclude.Count > 0 ? $", excluding {string.Join(",", exclude)})" : ")"));

        var wallLimit = rendered.Plan.TimeLimit + TimeLimitMargin;
        // The list's TIMEOUT bounds the whole test, retries included: each attempt gets what is left of it.
        if (testCase.Options.Timeout is { } listTimeout && listTimeout - clock.Elapsed < wallLimit) wallLimit = listTimeout - clock.Elapsed;
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
