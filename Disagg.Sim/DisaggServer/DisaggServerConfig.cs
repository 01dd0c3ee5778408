namespace Disagg.Sim.DisaggServer;

/// <summary>The disagg server YAML (<c>server_config.yaml</c> of a job): hostname, port, context and generation servers.</summary>
internal sealed record DisaggServerConfig(string Hostname, int Port, ServerGroup Context, ServerGroup Generation)
{
    public IEnumerable<WorkerEndpoint> AllWorkers => Context.Urls.Concat(Generation.Urls);
}
