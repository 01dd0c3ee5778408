namespace Disagg.Harness.Cluster;

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
    /// The aiperf client (<c>benchmark.use_aiperf: true</c>), staged in the image or a shared path: the job runs
    /// <c>&lt;this&gt; profile …</c> and never pip-installs it (compute nodes have no network).
    /// </summary>
    public string? AiperfClient { get; init; }

    /// <summary>
    /// The DWDP worker (a config whose ctx worker has <c>dwdp_config</c>): one MPI step over every CTX and GEN rank,
    /// <c>{config}</c> the generated mpi_worker_config.yaml; <c>{nsys}</c> and <c>{numactl}</c> as for <see cref="Worker"/>.
    /// </summary>
    public string? DwdpWorker { get; init; }
}
