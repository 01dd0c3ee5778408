using Disagg.Sim.Common;

namespace Disagg.Sim.Worker;

/// <summary>Readiness and request counters of one worker process; drives <c>fail_requests</c> and <c>crash_after_requests</c>.</summary>
internal sealed class WorkerState(FaultPlan faults)
{
    private volatile bool _ready;
    private long _requestIndex = -1;
    private long _sequenceId;
    private long _completed;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;

    /// <summary>True if this request should get an injected HTTP 500.</summary>
    public bool ShouldFailNextRequest() => faults.ShouldFailRequest(Interlocked.Increment(ref _requestIndex));

    public long NextSequenceId() => Interlocked.Increment(ref _sequenceId);

    /// <summary>Counts a completed request; the N-th one triggers the <c>crash_after_requests:N</c> fault.</summary>
    public void OnRequestCompleted()
    {
        var completed = Interlocked.Increment(ref _completed);
        if (faults.CrashAfterRequests is { } limit && completed == Math.Max(1, limit))
        {
            PythonErrors.IllegalMemoryAccess().PrintAndExit();
        }
    }
}
