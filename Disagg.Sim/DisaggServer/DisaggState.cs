using Disagg.Sim.Common;

namespace Disagg.Sim.DisaggServer;

/// <summary>Readiness and request counters of the disagg server.</summary>
internal sealed class DisaggState(FaultPlan faults)
{
    private volatile bool _ready;
    private long _requestIndex = -1;
    private long _requestId;
    private long _completed;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;

    public bool ShouldFailNextRequest() => faults.ShouldFailRequest(Interlocked.Increment(ref _requestIndex));

    public long NextRequestId() => Interlocked.Increment(ref _requestId);

    public void OnRequestCompleted()
    {
        var completed = Interlocked.Increment(ref _completed);
        if (faults.CrashAfterRequests is { } limit && completed == Math.Max(1, limit))
        {
            PythonErrors.IllegalMemoryAccess().PrintAndExit();
        }
    }
}
