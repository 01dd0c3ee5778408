namespace Disagg.Harness.Cluster;

public enum Transport { Local, Ssh }

public enum NodeAddressing { Hostname, NodeAddr }

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

/// <summary>
/// Command lines for each process of a job, with <c>{placeholders}</c> filled by the renderer:
/// <c>{role}</c>, <c>{index}</c>, <c>{host}</c>, <c>{port}</c>, <c>{config}</c>, <c>{model_path}</c>, and
/// <c>{prefix}</c> (numactl / nsys wrappers; put at the front when the template has no <c>{prefix}</c>).
/// <see cref="Accuracy"/> (lm_eval) is optional: <c>{task}</c>, <c>{accuracy_model}</c>, <c>{model_args}</c>, <c>{output}</c>.
/// A worker template may place the wrappers itself: <c>{nsys}</c> (the profiler, outside any launcher) and <c>{numactl}</c>.
/// </summary>
public sealed record CommandTemplates(string Worker, string DisaggServer, string BenchmarkClient, bool Rank0Only, string? Accuracy = null)
{
    /// <summary>
    /// The SA benchmark client (<c>benchmark.use_nv_sa_benchmark: true</c>); its flags and length semantics differ from the
    /// default client's.
    /// </summary>
    public string? NvSaClient { get; init; }

    /// <summary>
    /// The DWDP worker (a config whose ctx worker has <c>dwdp_config</c>): one MPI step over every CTX and GEN rank,
    /// <c>{config}</c> the generated mpi_worker_config.yaml; <c>{nsys}</c> and <c>{numactl}</c> as for <see cref="Worker"/>.
    /// </summary>
    public string? DwdpWorker { get; init; }
}

/// <summary>
/// How to reach a host over SSH. <see cref="Jump"/>, when set, is a bastion reached first: the target is then
/// connected through a local forward over the jump's connection, and its host key is still checked against
/// <see cref="KnownHostsPath"/> under the target's own name and port.
/// </summary>
public sealed record SshSettings(string Host, int Port, string User, string KeyPath, string KnownHostsPath, bool TrustUnknownHost, SshSettings? Jump = null);
