using Disagg.Harness.Thresholds;
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
    IReadOnlyList<ThresholdRule> Thresholds);

public sealed record MetadataSection(
    string ModelName,
    string Precision,
    string ModelDirName,
    IReadOnlyList<string> SupportedGpus,
    string DatasetFile);

public sealed record SlurmSection(
    string Partition,
    string Account,
    TimeSpan JobTime,
    string JobName,
    IReadOnlyList<string> ExtraArgs,
    bool SetSegment,
    bool NumaBind);

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
    IReadOnlyDictionary<string, string> EnvVar);

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
    IReadOnlyDictionary<string, string> ServerEnv);

public sealed record ProfilingSection(bool NsysOn, string CtxProfileRange, string GenProfileRange);

public sealed record AccuracySection(bool Enabled, IReadOnlyList<AccuracyTask> Tasks, IReadOnlyDictionary<string, string> EnvVar);

public sealed record AccuracyTask(string Name, string Model, string ModelArgsExtra);

/// <summary>
/// A worker's <c>trtllm-serve --config</c> content. <see cref="Node"/> is the verbatim tree written
/// to the server (unknown keys pass through); the typed fields are the ones the harness reads.
/// </summary>
public sealed record WorkerConfig(
    YamlMappingNode Node,
    int TensorParallelSize,
    int PipelineParallelSize,
    int ContextParallelSize,
    int MaxBatchSize,
    int MaxNumTokens,
    int MaxSeqLen,
    bool EnableAttentionDp,
    string CacheTransceiverBackend,
    int EplbSlots,
    int MtpLayers)
{
    public int WorldSize => TensorParallelSize * PipelineParallelSize * ContextParallelSize;
}
