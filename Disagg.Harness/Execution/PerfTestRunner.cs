using System.Diagnostics;
using System.Globalization;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Diagnostics;
using Disagg.Harness.Publishing;
using Disagg.Harness.Rendering;
using Disagg.Harness.Results;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Execution;

/// <summary>
/// Runs one perf test end to end: render, stage, submit, follow (fail fast on a fatal log line, a dead
/// step or a timeout, cancelling the job), then read the outcome, parse and judge. The job is never
/// left behind: every exit path that did not see a terminal state cancels it.
/// </summary>
public sealed class PerfTestRunner(RunContext context)
{
    /// <summary>Per-test knobs that come from the test list rather than the config (e.g. <c>TIMEOUT (N)</c>).</summary>
    public sealed record RunOptions(TimeSpan? TestTimeout = null)
    {
        /// <summary>History for the regression rule; null chooses it from the environment (<see cref="HistorySources"/>).</summary>
        public IHistorySource? History { get; init; }
    }

    /// <summary>Room for SLURM to start and stop a job around its own time limit.</summary>
    private static readonly TimeSpan TimeLimitMargin = TimeSpan.FromMinutes(3);

    // What the diagnosis packager (Diagnostics/DiagnosisPackager) needs, also when RunAsync throws.
    private readonly List<string> _logLines = [];
    public string? Workspace { get; private set; }
    public string? JobId { get; private set; }
    public IReadOnlyList<string> WorkspaceFiles { get; private set; } = [];
    public IReadOnlyList<string> LogLines { get { lock (_logLines) return [.. _logLines]; } }

    public Task<TestRunResult> RunAsync(DisaggConfig config, string testId, Action<string> log, CancellationToken cancellationToken) =>
        RunAsync(config, testId, new RunOptions(), log, cancellationToken);

    public async Task<TestRunResult> RunAsync(DisaggConfig config, string testId, RunOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var outerLog = log;
        log = line => { lock (_logLines) _logLines.Add($"{context.Time.GetUtcNow():yyyy-MM-dd HH:mm:ss} {line}"); outerLog(line); };
        // The job's folder as the cluster sees it; <results>/<test id> itself for local profiles.
        var workspace = context.Workspaces.ClusterPath(testId);
        Workspace = workspace;
        var plan = JobRenderer.Render(config, context.Profile, new RenderContext(testId, workspace, config.SourceFile, context.Settings.RunId));
        WorkspaceFiles = [.. plan.ServerLogs, JobFiles.BenchmarkLog, JobFiles.InstallLog, JobFiles.Phases, .. plan.Files.Select(f => f.Name)];
        await context.Files.CreateDirectoryAsync(workspace, cancellationToken).ConfigureAwait(false);
        foreach (var file in plan.Files)
            await context.Files.WriteAsync(Path.Combine(workspace, file.Name), file.Content, file.Executable, cancellationToken).ConfigureAwait(false);
        log($"rendered {plan.Files.Count} files into {workspace}");

        string jobId;
        try
        {
            jobId = await context.Slurm.SubmitAsync(Path.Combine(workspace, JobFiles.BatchScript), workspace, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandFailedException e)
        {
            log("submission rejected");
            return new TestRunResult(testId, context.Workspaces.LocalPath(testId), null, null, null, [$"submission rejected, no job was started: {e.Message}"], [], [], clock.Elapsed);
        }
        JobId = jobId;
        WorkspaceFiles = [.. WorkspaceFiles, JobFiles.SlurmErr(jobId), JobFiles.SlurmOut(jobId)];
        log($"submitted job {jobId} ({plan.Placement.TotalNodes} node(s), time limit {JobTime.Format(plan.TimeLimit)})");
        var follow = new JobFollow(context, plan, workspace, jobId, log);
        context.Monitor.Track(jobId);
        var wallLimit = plan.TimeLimit + TimeLimitMargin;
        if (options.TestTimeout is { } testTimeout && testTimeout < wallLimit) wallLimit = testTimeout;
        try
        {
            await follow.RunAsync(wallLimit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // the job saw the same failure; let it package its logs and exit by itself before any scancel.
            var endedByItself = !follow.SawTerminal && follow.FirstErrors.Count > 0 && await EndsWithinAsync(jobId, JobGrace).ConfigureAwait(false);
            if (!follow.SawTerminal && !endedByItself)
            {
                log($"cancelling job {jobId}: {follow.StopReason ?? "the test was stopped"}");
                using var cancelTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await context.Slurm.CancelAsync(jobId, cancelTimeout.Token).ConfigureAwait(false);
                await WaitForEndAsync(jobId, cancelTimeout.Token).ConfigureAwait(false);
            }
            context.Monitor.Untrack(jobId);
        }

        var outcome = await context.Slurm.ShowJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        var problems = new List<string>(follow.Problems);
        if (outcome is null)
            problems.Add($"job {jobId} is unknown to SLURM (purged before its end was seen); its state cannot be trusted");
        else if (!outcome.Completed)
            problems.Add(outcome.Describe());
        if (outcome?.Completed == true && !await context.Files.ExistsAsync(Path.Combine(workspace, JobFiles.DoneMarker(jobId)), cancellationToken).ConfigureAwait(false))
            problems.Add($"job {jobId} ended COMPLETED but wrote no success marker {JobFiles.DoneMarker(jobId)}");

        var logPath = Path.Combine(workspace, JobFiles.BenchmarkLog);
        var logText = Encoding.UTF8.GetString(await context.Files.ReadFromAsync(logPath, 0, cancellationToken).ConfigureAwait(false));
        BenchmarkLog? benchmark = null;
        if (config.Benchmark.EnableBenchmark)
        {
            benchmark = BenchmarkLogParser.Parse(logText, logPath);
            if (outcome?.Completed == true)
                problems.AddRange(ResultCompleteness.Check(benchmark, plan.Concurrencies, plan.MultiRound));
        }
        // result.json cross-check, step times, bounds, regression, accuracy: Execution/ResultJudge.cs
        var env = ResultPublisher.CurrentEnvironment();
        var history = options.History;
        if (history is null) { (history, var line) = HistorySources.FromEnvironment(env, log, resultsDir: context.Settings.ResultsDir); log(line); }
        var judged = await ResultJudge.JudgeAsync(config, benchmark,
            await ResultJudge.ReadAsync(context.Files, workspace, config, benchmark, plan.Concurrencies, outcome?.Completed == true, cancellationToken).ConfigureAwait(false),
            history, ResultJudge.ContextFor(testId, config, env, context.Time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        problems.AddRange(judged.Problems);
        // Whatever failed, the first error lines of the job's logs say why (unless the live scan already quoted them).
        if (problems.Count > 0 && follow.FirstErrors.Count == 0)
            problems.AddRange(await FirstErrorsAsync(plan, workspace, jobId, cancellationToken).ConfigureAwait(false));
        foreach (var warning in judged.Warnings) log("warning: " + warning);
        problems.AddRange(await context.CollectWorkspaceAsync(testId, cancellationToken).ConfigureAwait(false)); // copy back; a no-op for local profiles
        return new TestRunResult(testId, context.Workspaces.LocalPath(testId), jobId, outcome, benchmark, problems, judged.Verdicts, follow.Phases, clock.Elapsed)
            { Regression = judged.Regression, Accuracy = judged.Accuracy, Warnings = judged.Warnings, StepTimes = judged.StepTimes };
    }

    /// <summary>How long a job that hit a fatal line gets to package its logs and end before scancel.</summary>
    public static readonly TimeSpan JobGrace = TimeSpan.FromSeconds(20);

    private async Task<bool> EndsWithinAsync(string jobId, TimeSpan grace)
    {
        using var timeout = new CancellationTokenSource(grace);
        await WaitForEndAsync(jobId, timeout.Token).ConfigureAwait(false);
        var outcome = await context.Slurm.ShowJobAsync(jobId, CancellationToken.None).ConfigureAwait(false);
        return outcome is null || new JobSnapshot(jobId, outcome.State, outcome.Reason, outcome.Nodes).IsTerminal;
    }

    /// <summary>After scancel the job needs a moment to reach CANCELLED; read its outcome only then.</summary>
    private async Task WaitForEndAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            while ((await context.Slurm.ShowJobAsync(jobId, cancellationToken).ConfigureAwait(false)) is { } o &&
                   !new JobSnapshot(jobId, o.State, o.Reason, o.Nodes).IsTerminal)
                await Task.Delay(TimeSpan.FromMilliseconds(500), context.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The outcome read below reports whatever state SLURM shows now.
        }
    }

    private async Task<IReadOnlyList<string>> FirstErrorsAsync(JobPlan plan, string workspace, string jobId, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        // The job's own "Error:" line says why it stopped; the logs it stopped come after it.
        foreach (var name in new[] { JobFiles.SlurmErr(jobId), JobFiles.BenchmarkLog, JobFiles.InstallLog }.Concat(plan.ServerLogs))
        {
            var bytes = await context.Files.ReadFromAsync(Path.Combine(workspace, name), 0, cancellationToken).ConfigureAwait(false);
            if (LogExcerpt.FirstError(Path.Combine(workspace, name), Encoding.UTF8.GetString(bytes)) is { } hit)
                found.Add("first error: " + hit);
        }
        return found;
    }
}
