using System.Globalization;

namespace Disagg.Harness.Reporting;

/// <summary>
/// The run's overall progress line, <c>[disagg] 5/16 done (1 failed), 8 running, 3 queued, 4m12s</c>: written at once when
/// a count changes and every <c>interval</c> otherwise, so a long quiet stretch in a CI console still shows the run is
/// alive. A test is queued until its job runs (not started yet, or waiting in the SLURM queue), running while its job
/// runs, and done with its outcome. Thread-safe: perf tests report from parallel NUnit workers.
/// </summary>
public sealed class RunProgress : IDisposable
{
    public enum Outcome { Passed, Failed, Skipped }

    private enum State { Queued, Running, Done }

    private readonly Lock _lock = new();
    private int _total;
    private readonly TimeProvider _time;
    private readonly Action<string> _write;
    private readonly long _start;
    private readonly ITimer _timer;
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private int _failed;
    private int _skipped;
    private string? _lastCounts;

    /// <param name="total">Tests in the run, including those not started yet.</param>
    public RunProgress(int total, TimeProvider time, TimeSpan interval, Action<string> write)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "the progress interval must be positive");
        _total = total;
        _time = time;
        _write = write;
        _start = time.GetTimestamp();
        _lastCounts = Counts();
        _timer = time.CreateTimer(_ => Write(force: true), null, interval, interval);
    }

    /// <summary>The test is waiting: started but its job not running yet (submitted, pending in SLURM).</summary>
    public void Queued(string testId) => Set(testId, State.Queued, null);

    /// <summary>The test's job runs.</summary>
    public void Running(string testId) => Set(testId, State.Running, null);

    /// <summary>The test ended; a test reported done once stays done.</summary>
    public void Finished(string testId, Outcome outcome) => Set(testId, State.Done, outcome);

    /// <summary>
    /// The run is over: stops the periodic line. Tests never reported were not selected (a <c>--filter</c> narrower than
    /// the list), so they leave the total instead of showing as queued forever; the line is written when that changes it.
    /// </summary>
    public void Complete()
    {
        _timer.Dispose();
        lock (_lock) _total = _states.Count;
        Write(force: false);
    }

    /// <summary>The current line, e.g. <c>[disagg] 5/16 done (1 failed), 8 running, 3 queued, 4m12s</c>.</summary>
    public string Line()
    {
        lock (_lock) return $"[disagg] {Counts()}, {Elapsed(_time.GetElapsedTime(_start))}";
    }

    private void Set(string testId, State state, Outcome? outcome)
    {
        lock (_lock)
        {
            if (_states.TryGetValue(testId, out var old) && old == State.Done) return;
            _states[testId] = state;
            if (outcome == Outcome.Failed) _failed++;
            if (outcome == Outcome.Skipped) _skipped++;
        }
        Write(force: false);
    }

    private void Write(bool force)
    {
        string line;
        lock (_lock)
        {
            var counts = Counts();
            if (!force && counts == _lastCounts) return;
            _lastCounts = counts;
            line = $"[disagg] {counts}, {Elapsed(_time.GetElapsedTime(_start))}";
        }
        _write(line);
    }

    private string Counts()
    {
        var done = _states.Values.Count(s => s == State.Done);
        var running = _states.Values.Count(s => s == State.Running);
        // Tests never reported are queued too; more reports than the announced total widen it rather than go negative.
        var total = Math.Max(_total, _states.Count);
        var queued = total - done - running;
        var detail = new List<string>();
        if (_failed > 0 || _skipped == 0) detail.Add($"{_failed} failed");
        if (_skipped > 0) detail.Add($"{_skipped} skipped");
        return $"{done}/{total} done ({string.Join(", ", detail)}), {running} running, {queued} queued";
    }

    /// <summary><c>12s</c>, <c>4m12s</c>, <c>1h02m03s</c>.</summary>
    public static string Elapsed(TimeSpan elapsed)
    {
        var s = (long)Math.Max(0, elapsed.TotalSeconds);
        var (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
        return h > 0 ? string.Create(CultureInfo.InvariantCulture, $"{h}h{m:00}m{sec:00}s")
            : m > 0 ? string.Create(CultureInfo.InvariantCulture, $"{m}m{sec:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{sec}s");
    }

    public void Dispose() => _timer.Dispose();
}
