namespace Disagg.Sim.DisaggServer;

/// <summary><c>context_servers</c> or <c>generation_servers</c>.</summary>
internal sealed record ServerGroup(int NumInstances, IReadOnlyList<WorkerEndpoint> Urls, string Router);
