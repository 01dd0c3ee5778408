using System.Diagnostics;

namespace Disagg.Sim.Worker.Engine;

/// <summary>
/// Paces scheduler iterations against a chain of deadlines. Each deadline is the previous one plus the iteration
/// cost, so timer granularity (about 1 ms) evens out: the mean iteration time equals the modelled cost.
/// </summary>
internal sealed class IterationClock
{
    /// <summary>
    /// Oversleep and scheduling jitter of up to two iterations (at least 2 ms) are caught up on the next iterations.
    /// Further behind than that (JIT, GC pause, CPU starvation) the chain restarts from now: a stalled step stays slow
    /// instead of being followed by a long burst of back-to-back tokens.
    /// </summary>
    private const double MinCatchUpMs = 2.0;

    private const double EarlyWakeMs = 0.5;

    private long _lastDeadline = Stopwatch.GetTimestamp();

    /// <summary>The deadline of the next iteration. After an idle period the chain restarts from now.</summary>
    public long NextDeadline(double costMs, bool resumedFromIdle)
    {
        var now = Stopwatch.GetTimestamp();
        var maxLagTicks = (long)(Math.Max(MinCatchUpMs, 2 * costMs) * Stopwatch.Frequency / 1000.0);
        var start = resumedFromIdle || now - _lastDeadline > maxLagTicks ? now : _lastDeadline;
        _lastDeadline = start + (long)(costMs * Stopwatch.Frequency / 1000.0);
        return _lastDeadline;
    }

    /// <summary>Waits until <paramref name="deadline"/> (Stopwatch ticks), waking at most half a millisecond early.</summary>
    public static async Task WaitUntilAsync(long deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var remainingMs = (deadline - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
            if (remainingMs < EarlyWakeMs)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, Math.Floor(remainingMs))), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits <paramref name="milliseconds"/> from now with the same precision rule.</summary>
    public static Task DelayAsync(double milliseconds, CancellationToken cancellationToken) =>
        milliseconds < EarlyWakeMs
            ? Task.CompletedTask
            : WaitUntilAsync(Stopwatch.GetTimestamp() + (long)(milliseconds * Stopwatch.Frequency / 1000.0), cancellationToken);
}
