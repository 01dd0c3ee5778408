namespace Disagg.Harness.Cluster;

/// <summary>
/// Everything that differs between clusters (and between a real cluster and the local one): how to reach
/// it, which partition to use, how servers are started and how nodes and ports are addressed. Configs stay
/// cluster-neutral; the profile is chosen per run.
/// </summary>
public sealed record ClusterProfile(
    string Name,
    string SourceFile,
    Transport Transport,
    string Partition,
    string Account,
    string Mpi,
    NodeAddressing NodeAddressing,
    int? PortBase,
    CommandTemplates Commands,
    IReadOnlyDictionary<string, string> JobEnv,
    SshSettings? Ssh,
    string WorkspaceRoot,
    TimeSpan PollInterval);
