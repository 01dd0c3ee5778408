namespace Disagg.Sim.DisaggServer;

/// <summary>The disagg server YAML of job-layout.md §9.</summary>
internal sealed record DisaggServerConfig(string Hostname, int Port, ServerGroup Context, ServerGroup Generation)
{
    public IEnumerable<WorkerEndpoint> AllWorkers => Context.Urls.Concat(Generation.Urls);
}
