namespace Disagg.Sim.Worker.Engine;

/// <summary>A bounded, thread-safe buffer of recent iteration stats (drained by <c>GET /metrics</c>).</summary>
internal sealed class IterationHistory
{
    private const int Capacity = 1000;
    private readonly Queue<IterationStats> _items = new();
    private readonly Lock _lock = new();

    public void Add(IterationStats stats)
    {
        lock (_lock)
        {
            if (_items.Count == Capacity)
            {
                _items.Dequeue();
            }

            _items.Enqueue(stats);
        }
    }

    public IReadOnlyList<IterationStats> Drain()
    {
        lock (_lock)
        {
            var items = _items.ToList();
            _items.Clear();
            return items;
        }
    }
}
