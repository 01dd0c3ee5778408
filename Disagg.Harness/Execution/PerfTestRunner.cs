using System.Diagnostics;
using System.Globalization;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Diagnostics;
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
    /// <summary>Room for SLURM to start and stop a job around its own time limit.</summary>
    private static readonly TimeSpan TimeLimitMargin = TimeSpan.FromMinutes(3);

    public async Task<TestRunResult> RunAsync(DisaggConfig config, string testId, Action<string> log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var workspace = context.Workspaces.ClusterPath(testId); // [ssh] the job's folder as the cluster sees it; <results>/<test id> for local profiles
        var plan = JobRenderer.Render(config, context.Profile, new RenderContext(testId, workspace, config.SourceFile));
        await context.Files.CreateDirectoryAsync(workspace, cancellationToken).ConfigureAwait(false);
        foreach (var file in plan.Files)
            await context.Files.WriteAsync(Path.Combine(workspace, file.Name), file.Content, file.Executable, cancellationToken).ConfigureAwait(false);
        log($"rendered {plan.Files.Count} files into {workspace}");

        var jobId = await context.Slurm.SubmitAsync(Path.Combine(workspace, JobFiles.BatchScript), workspace, cancellationToken).ConfigureAwait(false);
        log($"submitted job {jobId} ({plan.Placement.TotalNodes} node(s), time limit {JobTime.Format(plan.TimeLimit)})");
        var follow = new JobFollow(context, plan, workspace, jobId, log);
        context.Monitor.Track(jobId);
        try
        {
            await follow.RunAsync(plan.TimeLimit + TimeLimitMargin, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!follow.SawTerminal)
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
        if (problems.Count > 0 && follow.FirstErrors.Count == 0)
            problems.AddRange(await FirstErrorsAsync(plan, workspace, jobId, cancellationToken).ConfigureAwait(false));

        var logPath = Path.Combine(workspace, JobFiles.BenchmarkLog);
        var logText = Encoding.UTF8.GetString(await context.Files.ReadFromAsync(logPath, 0, cancellationToken).ConfigureAwait(false));
        BenchmarkLog? benchmark = null;
        IReadOnlyList<ThresholdVerdict> verdicts = [];
        if (config.Benchmark.EnableBenchmark)
        {
            benchmark = BenchmarkLogParser.Parse(logText, logPath);
            if (outcome?.Completed == true)
                problems.AddRange(ResultCompleteness.Check(benchmark, plan.Concurrencies, plan.MultiRound));
            verdicts = ThresholdEvaluator.Evaluate(config.Thresholds, benchmark.Blocks);
        }
        problems.AddRange(await context.CollectWorkspaceAsync(testId, cancellationToken).ConfigureAwait(false)); // [ssh] copy back; no-op for local profiles
        return new TestRunResult(testId, context.Workspaces.LocalPath(testId), jobId, outcome, benchmark, problems, verdicts, follow.Phases, clock.Elapsed);
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
        foreach (var name in plan.ServerLogs.Append(JobFiles.BenchmarkLog).Append(JobFiles.SlurmErr(jobId)))
        {
            var bytes = await context.Files.ReadFromAsync(Path.Combine(workspace, name), 0, cancellationToken).ConfigureAwait(false);
            if (LogExcerpt.FirstError(Path.Combine(workspace, name), Encoding.UTF8.GetString(bytes)) is { } hit)
                found.Add("first error: " + hit);
        }
        return found;
    }

    /// <summary>The state of following one job; lives for one test.</summary>
    private sealed class JobFollow(RunContext context, JobPlan plan, string workspace, string jobId, Action<string> log)
    {
        private readonly List<LogFollower> _logs = plan.ServerLogs.Append(JobFiles.SlurmErr(jobId))
            .Select(name => new LogFollower(context.Files, Path.Combine(workspace, name))).ToList();
        private readonly LogFollower _phases = new(context.Files, Path.Combine(workspace, JobFiles.Phases));
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private string? _lastStatus;
        private bool _jobDone;
        private TimeSpan? _runningSince;

        public List<string> Problems { get; } = [];
        public List<string> FirstErrors { get; } = [];
        public List<PhaseEvent> Phases { get; } = [];
        public bool SawTerminal { get; private set; }
        public string? StopReason { get; private set; }

        public async Task RunAsync(TimeSpan wallLimit, CancellationToken cancellationToken)
        {
            while (true)
            {
                var tickTimeout = TimeSpan.FromSeconds(Math.Max(30, context.Profile.PollInterval.TotalSeconds * 10));
                await context.Monitor.NextTickAsync(cancellationToken).WaitAsync(tickTimeout, cancellationToken).ConfigureAwait(false);
                var snapshot = context.Monitor.Latest(jobId);
                await ReadPhasesAsync(cancellationToken).ConfigureAwait(false);
                Report(snapshot);
                if (snapshot?.IsTerminal == true)
                {
                    SawTerminal = true;
                    return;
                }
                if (!_jobDone && await ScanLogsAsync(cancellationToken).ConfigureAwait(false))
                    return;
                if (Stop(snapshot, wallLimit)) return;
            }
        }

        private bool Stop(JobSnapshot? snapshot, TimeSpan wallLimit)
        {
            if (context.Monitor.ConsecutiveFailures >= 5)
                return Fail($"SLURM could not be queried 5 times in a row: {context.Monitor.LastError?.Message}");
            if (snapshot is null && _clock.Elapsed > TimeSpan.FromSeconds(60))
                return Fail($"job {jobId} never appeared in squeue within 60 s of submission (lost or purged)");
            if (snapshot?.IsPending == true && _clock.Elapsed > context.Settings.QueueTimeout)
                return Fail($"job {jobId} still pending after {context.Settings.QueueTimeout.TotalMinutes:0} min (reason {snapshot.Reason}); raise DISAGG_QUEUE_TIMEOUT_S or free the partition");
            if (_runningSince is { } since && _clock.Elapsed - since > wallLimit)
                return Fail($"job {jobId} still running {wallLimit.TotalMinutes:0} min after it started, beyond its time limit plus margin; timed out");
            return false;
        }

        private bool Fail(string message)
        {
            Problems.Add(message);
            StopReason = message;
            return true;
        }

        private void Report(JobSnapshot? snapshot)
        {
            if (snapshot is null) return;
            if (snapshot.IsRunning && _runningSince is null) _runningSince = _clock.Elapsed;
            var status = snapshot.IsPending ? $"{snapshot.BaseState} (reason {snapshot.Reason})" : $"{snapshot.State} on {snapshot.Nodes}";
            if (status == _lastStatus) return;
            _lastStatus = status;
            Phases.Add(new PhaseEvent(context.Time.GetUtcNow(), snapshot.BaseState.ToLowerInvariant()));
            log($"job {jobId}: {status}");
        }

        private async Task ReadPhasesAsync(CancellationToken cancellationToken)
        {
            foreach (var (_, text) in await _phases.ReadNewLinesAsync(cancellationToken).ConfigureAwait(false))
            {
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                if (space < 0) continue;
                var phase = text[(space + 1)..];
                var at = double.TryParse(text[..space], NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch)
                    ? DateTimeOffset.FromUnixTimeMilliseconds((long)(epoch * 1000))
                    : context.Time.GetUtcNow();
                Phases.Add(new PhaseEvent(at, phase));
                log($"job {jobId}: {phase}");
                if (phase == "done" || phase.StartsWith("failed", StringComparison.Ordinal)) _jobDone = true;
            }
        }

        /// <summary>True when a fatal line was found: the test fails now instead of at a timeout.</summary>
        private async Task<bool> ScanLogsAsync(CancellationToken cancellationToken)
        {
            foreach (var follower in _logs)
            {
                foreach (var (line, text) in await follower.ReadNewLinesAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (FailureSignatures.Match(text) is not { } signature) continue;
                    var bytes = await context.Files.ReadFromAsync(follower.Path, 0, cancellationToken).ConfigureAwait(false);
                    var excerpt = LogExcerpt.FirstError(follower.Path, Encoding.UTF8.GetString(bytes))?.ToString() ?? $"{follower.Path}:{line}: {text}";
                    FirstErrors.Add(excerpt);
                    return Fail($"{signature.Name} in {Path.GetFileName(follower.Path)} while the job was running; first error:{Environment.NewLine}{excerpt}");
                }
            }
            return false;
        }
    }
}
