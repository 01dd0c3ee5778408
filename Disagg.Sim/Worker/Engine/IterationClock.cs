using System.Diagnostics;

namespace Disagg.Sim.Worker.Engine;

/// <summary>
/// Paces scheduler iterations against a chain of deadlines. Each deadline is the previous one plus the iteration
/// cost, so timer granularity (about 1 ms) evens out: the mean iteration time equals the modelled cost.
/// </summary>
internal sealed class IterationClock
{
    /// <summary>Further behind than this (GC pause, CPU starvation) the chain restarts from now instead of catching up.</summary>
    private static readonly long MaxLagTicks = Stopwatch.Frequency / 20;

    private const double EarlyWakeMs = 0.5;

    private long _lastDeadline = Stopwatch.GetTimestamp();

    /// <summary>The deadline of the next iteration. After an idle period the chain restarts from now.</summary>
    public long NextDeadline(double costMs, bool resumedFromIdle)
    {
        var now = Stopwatch.GetTimestamp();
        var start = resumedFromIdle || now - _lastDeadline > MaxLagTicks ? now : _lastDeadline;
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
