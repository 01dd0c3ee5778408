namespace Disagg.Sim.DisaggServer;

/// <summary>Picks a worker of one group per request: <c>round_robin</c> or <c>load_balancing</c> (fewest requests in flight).</summary>
internal sealed class WorkerRouter(ServerGroup group)
{
    private readonly int[] _inFlight = new int[group.Urls.Count];
    private long _next = -1;

    public bool IsEmpty => group.Urls.Count == 0;

    /// <summary>Chooses a worker; dispose the lease when the request to it is finished.</summary>
    public Lease Acquire()
    {
        var index = group.Router == "load_balancing" ? LeastLoaded() : (int)(Interlocked.Increment(ref _next) % group.Urls.Count);
        Interlocked.Increment(ref _inFlight[index]);
        return new Lease(this, index, group.Urls[index]);
    }

    private int LeastLoaded()
    {
        var best = 0;
        for (var i = 1; i < _inFlight.Length; i++)
        {
            if (Volatile.Read(ref _inFlight[i]) < Volatile.Read(ref _inFlight[best]))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>A chosen worker; releases its in-flight slot on dispose.</summary>
    internal sealed class Lease(WorkerRouter owner, int index, WorkerEndpoint endpoint) : IDisposable
    {
        public WorkerEndpoint Endpoint { get; } = endpoint;

        public void Dispose() => Interlocked.Decrement(ref owner._inFlight[index]);
    }
}
