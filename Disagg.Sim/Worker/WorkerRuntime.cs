using Disagg.Sim.Common;
using Disagg.Sim.Worker.Engine;

namespace Disagg.Sim.Worker;

/// <summary>Everything a worker's HTTP handlers need.</summary>
internal sealed record WorkerRuntime(
    WorkerOptions Options,
    WorkerConfig Config,
    LatencyModel Latency,
    FaultPlan Faults,
    WorkerState State,
    Scheduler Scheduler,
    CancellationToken Stopping)
{
    public long StartedUnixSeconds { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
