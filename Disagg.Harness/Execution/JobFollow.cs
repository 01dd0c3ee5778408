using System.Diagnostics;
using System.Globalization;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Rendering;

namespace Disagg.Harness.Execution;

/// <summary>The state of following one job; lives for one test.</summary>
internal sealed class JobFollow(RunContext context, JobPlan plan, string workspace, string jobId, Action<string> log)
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

    /// <summary>Called for every phase line as it is read, with how long the job has been running (the live verdicts hook).</summary>
    public Func<PhaseEvent, TimeSpan?, CancellationToken, Task>? OnPhase { get; init; }

    private readonly Dictionary<int, TimeSpan> _concurrencyStarted = [];
    private TimeSpan? _lastHeartbeat;
    private string HeartbeatPath => Path.Combine(workspace, JobFiles.Heartbeat(jobId));

    public Task RunAsync(TimeSpan wallLimit, CancellationToken cancellationToken) => FollowAsync(wallLimit, cancellationToken);

    /// <summary>
    /// Removes the heartbeat once the job has ended. Until then it stays: if the runner dies while it cancels the job,
    /// the file goes stale and the job stops itself, where a deleted file would let it run on.
    /// </summary>
    public async Task RemoveHeartbeatAsync()
    {
        try { await context.Files.DeleteAsync(HeartbeatPath, CancellationToken.None).ConfigureAwait(false); }
        catch (IOException) { }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        if (_lastHeartbeat is { } last && _clock.Elapsed - last < context.Settings.HeartbeatInterval) return;
        _lastHeartbeat = _clock.Elapsed;
        await context.Files.WriteAsync(HeartbeatPath, context.Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), false, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task FollowAsync(TimeSpan wallLimit, CancellationToken cancellationToken)
    {
        while (true)
        {
            await BeatAsync(cancellationToken).ConfigureAwait(false);
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
            return Fail($"job {jobId} still pending after {context.Settings.QueueTimeout.TotalMinutes:0} min (reason {snapshot.Reason}); "
                + "raise DISAGG_QUEUE_TIMEOUT_S or free the partition");
        if (_runningSince is { } since && _clock.Elapsed - since > wallLimit)
            return Fail($"job {jobId} still running {wallLimit.TotalMinutes:0.#} min after it started "
                + "(test time limit: job time limit plus margin, or the list's TIMEOUT); timed out");
        foreach (var (concurrency, started) in _concurrencyStarted)
            if (_clock.Elapsed - started > context.Settings.ConcurrencyTimeout)
                return Fail($"concurrency {concurrency} of job {jobId} has run {(_clock.Elapsed - started).TotalMinutes:0.#} min, "
                    + $"beyond the per-concurrency limit of {context.Settings.ConcurrencyTimeout.TotalMinutes:0.#} min (DISAGG_CONCURRENCY_TIMEOUT_S)");
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
        var position = context.Monitor.QueuePosition(jobId) is { } p ? $", position {p.Position} of {p.Of} pending" : "";
        var status = snapshot.IsPending ? $"{snapshot.BaseState} (reason {snapshot.Reason}{position})" : $"{snapshot.State} on {snapshot.Nodes}";
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
            TrackConcurrency(phase);
            if (OnPhase is not null)
                await OnPhase(Phases[^1], _runningSince is { } since ? _clock.Elapsed - since : null, cancellationToken).ConfigureAwait(false);
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

    private void TrackConcurrency(string phase)
    {
        var parts = phase.Split(' ');
        // "concurrency C started|done", or a confirmation repeat's "concurrency C repeat K started|done" (the same limit applies).
        if (parts.Length == 5 && parts[2] == "repeat") parts = [parts[0], parts[1], parts[4]];
        if (parts.Length != 3 || parts[0] != "concurrency" || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var c)) return;
        if (parts[2] == "started") _concurrencyStarted[c] = _clock.Elapsed;
        else if (parts[2] == "done") _concurrencyStarted.Remove(c);
    }
}
