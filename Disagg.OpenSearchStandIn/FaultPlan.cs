using System.Collections.Concurrent;

namespace Disagg.OpenSearchStandIn;

/// <summary>Faults to play on the next requests, in order: an HTTP status, or a delay (to provoke client timeouts).</summary>
public sealed class FaultPlan
{
    private readonly ConcurrentQueue<(int Status, TimeSpan Delay)> _next = new();

    public void FailNext(int status, int times = 1)
    {
        for (var i = 0; i < times; i++) _next.Enqueue((status, TimeSpan.Zero));
    }

    public void DelayNext(TimeSpan delay) => _next.Enqueue((0, delay));

    internal bool TryTake(out (int Status, TimeSpan Delay) fault) => _next.TryDequeue(out fault);
}
