namespace Disagg.Sim.DisaggServer;

/// <summary>One worker endpoint, <c>host:port</c>.</summary>
internal sealed record WorkerEndpoint(string Host, int Port)
{
    public Uri BaseUri { get; } = new($"http://{Host}:{Port}");

    public override string ToString() => $"{Host}:{Port}";
}
