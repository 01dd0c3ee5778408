namespace Disagg.Sim.DisaggServer;

/// <summary>One worker endpoint, <c>host:port</c>.</summary>
internal sealed record WorkerEndpoint(string Host, int Port)
{
    public Uri BaseUri { get; } = new($"http://{Host}:{Port}");

    public override string ToString() => $"{Host}:{Port}";
}

/// <summary><c>context_servers</c> or <c>generation_servers</c>.</summary>
internal sealed record ServerGroup(int NumInstances, IReadOnlyList<WorkerEndpoint> Urls, string Router);

/// <summary>The disagg server YAML of job-layout.md §9.</summary>
internal sealed record DisaggServerConfig(string Hostname, int Port, ServerGroup Context, ServerGroup Generation)
{
    public IEnumerable<WorkerEndpoint> AllWorkers => Context.Urls.Concat(Generation.Urls);
}
