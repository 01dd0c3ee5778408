using Disagg.Sim.Common;

namespace Disagg.Sim.Worker;

/// <summary>Reads <see cref="WorkerConfig"/> from a worker YAML; unknown keys are ignored, bad values name file:line.</summary>
internal static class WorkerConfigLoader
{
    public static WorkerConfig Load(string path)
    {
        var file = YamlFile.Load(path);
        var root = file.Root;
        var transceiver = file.Mapping(root, "cache_transceiver_config", string.Empty);
        return new WorkerConfig
        {
            MaxBatchSize = file.PositiveInt(root, "max_batch_size", WorkerConfig.DefaultMaxBatchSize),
            MaxNumTokens = file.PositiveInt(root, "max_num_tokens", WorkerConfig.DefaultMaxNumTokens),
            MaxSeqLen = file.PositiveInt(root, "max_seq_len", WorkerConfig.DefaultMaxSeqLen),
            TensorParallelSize = file.PositiveInt(root, "tensor_parallel_size", 1),
            PipelineParallelSize = file.PositiveInt(root, "pipeline_parallel_size", 1),
            EnableAttentionDp = file.Bool(root, "enable_attention_dp", false, string.Empty),
            StreamInterval = file.PositiveInt(root, "stream_interval", 1),
            PrintIterLog = file.Bool(root, "print_iter_log", false, string.Empty),
            CacheTransceiverBackend = transceiver is null
                ? "DEFAULT"
                : file.String(transceiver, "backend", "cache_transceiver_config.") ?? "DEFAULT",
        };
    }
}
