namespace Disagg.Sim.DisaggServer;

/// <summary>A worker answered with a non-200 status or could not be reached.</summary>
internal sealed class WorkerCallException(WorkerEndpoint endpoint, int? status, string detail, Exception? inner = null)
    : Exception($"{endpoint}: {(status is { } s ? $"HTTP {s}" : "unreachable")}: {detail}", inner)
{
    public int? Status { get; } = status;

    public string Detail { get; } = detail;

    /// <summary>4xx answers are the client's fault and are passed through unchanged.</summary>
    public bool IsClientError => Status is >= 400 and < 500;
}
