using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

public enum BenchmarkMode { E2E, GenOnly, GenOnlyNoContext }

/// <summary>One test config file, fully typed. Mirrors the reference schema section by section.</summary>
public sealed record DisaggConfig(
    string SourceFile,
    MetadataSection Metadata,
    SlurmSection Slurm,
    BenchmarkSection Benchmark,
    HardwareSection Hardware,
    EnvironmentSection Environment,
    ProfilingSection Profiling,
    AccuracySection Accuracy,
    WorkerConfig Ctx,
    WorkerConfig Gen,
    IReadOnlyList<ThresholdRule> Thresholds)
{
    /// <summary>Problems that do not stop the test, such as a file name that disagrees with the content.</summary>
    public IReadOnlyList<ConfigError> Warnings { get; init; } = [];

    /// <summary>The <c>regression:</c> section (docs/thresholds.md §3); the defaults when the section is absent.</summary>
    public RegressionSettings Regression { get; init; } = RegressionSettings.Default;

    /// <summary>
    /// Every <c>&lt;placeholder&gt;</c> value the file holds outside <c>worker_config</c>, where it stands; see
    /// <see cref="PlaceholderCheck"/>.
    /// </summary>
    public IReadOnlyList<PlaceholderField> Placeholders { get; init; } = [];

    /// <summary>Where the keys checked after the environment overrides stand (or their nearest section), for file:line messages.</summary>
    public IReadOnlyDictionary<string, (int Line, int Column)> Positions { get; init; } = new Dictionary<string, (int, int)>();
}

public sealed record MetadataSection(
    string ModelName,
    string Precision,
    string ModelDirName,
    IReadOnlyList<string> SupportedGpus,
    string DatasetFile)
{
    public string ScriptFile { get; init; } = "disaggr_torch.slurm";
    public string? BenchmarkType { get; init; }
    public int? ConfigIndex { get; init; }

    /// <summary><c>metadata.metrics</c>: perf-parse override, merged key by key over the pair's defaults.</summary>
    public MetricsOverride Metrics { get; init; } = MetricsOverride.None;

    /// <summary><c>metadata.accuracy</c>: thresholds per dataset and the accuracy-parse override.</summary>
    public AccuracyThresholds AccuracyThresholds { get; init; } = AccuracyThresholds.None;

    /// <summary>False for a plain submit.py config without a <c>metadata</c> section (every field then has its default).</summary>
    public bool Declared { get; init; } = true;
}

public sealed record SlurmSection(
    string Partition,
    string Account,
    TimeSpan JobTime,
    string JobName,
    IReadOnlyList<string> ExtraArgs,
    bool SetSegment,
    bool NumaBind)
{
    public string? ScriptFile { get; init; }

    /// <summary>Set when DISAGG_SLURM_PARTITION replaced the partition: the environment then wins over the cluster profile.</summary>
    public bool PartitionFromEnvironment { get; init; }

    /// <summary>Set when DISAGG_SLURM_ACCOUNT replaced the account: the environment then wins over the cluster profile.</summary>
    public bool AccountFromEnvironment { get; init; }
}

public sealed record BenchmarkSection(
    BenchmarkMode Mode,
    bool UseNvSaBenchmark,
    int MultiRound,
    double? BenchmarkRatio,
    bool Streaming,
    IReadOnlyList<int> ConcurrencyList,
    int InputLength,
    int OutputLength,
    string DatasetFile,
    bool EnableBenchmark,
    IReadOnlyDictionary<string, string> EnvVar)
{
    /// <summary>True when the YAML says <c>dataset_file: ""</c>: the random dataset is chosen on purpose.</summary>
    public bool RandomDatasetChosen { get; init; }
}

public sealed record HardwareSection(int GpusPerNode, int NumCtxServers, int NumGenServers);

public sealed record EnvironmentSection(
    string ContainerImage,
    string ContainerMount,
    string ModelPath,
    string TrtllmRepo,
    bool BuildWheel,
    string CudaArchitectures,
    string TrtllmWheelPath,
    string WorkDir,
    IReadOnlyDictionary<string, string> WorkerEnv,
    IReadOnlyDictionary<string, string> CtxWorkerEnv,
    IReadOnlyDictionary<string, string> GenWorkerEnv,
    IReadOnlyDictionary<string, string> ServerEnv)
{
    public string LogDir { get; init; } = "";
}

public sealed record ProfilingSection(bool NsysOn, string CtxProfileRange, string GenProfileRange);

public enum AccuracyForm { Absent, Legacy, Tasks }

public sealed record AccuracySection(bool Enabled, IReadOnlyList<AccuracyTask> Tasks, IReadOnlyDictionary<string, string> EnvVar)
{
    /// <summary>Whether the section was absent (defaults), the legacy flat form or the <c>tasks:</c> mapping form.</summary>
    public AccuracyForm Form { get; init; } = AccuracyForm.Absent;
}

public sealed record AccuracyTask(string Name, string Model, string ModelArgsExtra)
{
    /// <summary><c>extra_kwargs</c> in file order; <c>true</c> becomes <c>--key</c>, other values <c>--key='value'</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraKwargs { get; init; } = [];

    /// <summary><c>v1/completions</c> for local-completions, <c>v1/chat/completions</c> for local-chat-completions.</summary>
    public string Endpoint => Model == "local-chat-completions" ? "v1/chat/completions" : "v1/completions";
}

/// <summary>
/// A worker's <c>trtllm-serve --config</c> content. <see cref="Node"/> is the verbatim tree written
/// to the server (unknown keys pass through); the typed fields are the ones the harness reads.
/// </summary>
/// <remarks><see cref="MaxSeqLen"/> is null when the config leaves it to TensorRT-LLM (the perf-sanity configs do).</remarks>
public sealed record WorkerConfig(
    YamlMappingNode Node,
    int TensorParallelSize,
    int PipelineParallelSize,
    int ContextParallelSize,
    int MaxBatchSize,
    int MaxNumTokens,
    int? MaxSeqLen,
    bool EnableAttentionDp,
    string CacheTransceiverBackend,
    int EplbSlots,
    int MtpLayers)
{
    /// <summary><c>speculative_config.decoding_type</c>, or null without speculative decoding.</summary>
    public string? DecodingType { get; init; }

    /// <summary><c>moe_config.backend</c>, or null for dense models.</summary>
    public string? MoeBackend { get; init; }

    public int? MoeExpertParallelSize { get; init; }

    /// <summary><c>dwdp_config.dwdp_size</c> when <c>dwdp_config</c> is present and not disabled: the job then runs as a DWDP job.</summary>
    public int? DwdpSize { get; init; }
    public int? MaxTokensInBuffer { get; init; }

    /// <summary>tp x pp x cp; the loader bounds each factor and the product (<see cref="InputLimits.MaxWorldSize"/>), so this cannot overflow.</summary>
    public int WorldSize => checked(TensorParallelSize * PipelineParallelSize * ContextParallelSize);

    /// <summary>tp x pp x cp without overflow, for checking the limit.</summary>
    public long WorldSizeWide => (long)TensorParallelSize * PipelineParallelSize * ContextParallelSize;
}
