namespace Disagg.Sim.Worker;

/// <summary>The part of a TensorRT-LLM llm-api YAML (<c>ctx_config.yaml</c>/<c>gen_config.yaml</c>) the simulator uses.</summary>
internal sealed record WorkerConfig
{
    /// <summary>TensorRT-LLM's default when the key is absent.</summary>
    public const int DefaultMaxBatchSize = 2048;

    public const int DefaultMaxNumTokens = 8192;

    /// <summary>Stand-in for the model's maximum position embeddings.</summary>
    public const int DefaultMaxSeqLen = 32768;

    public int MaxBatchSize { get; init; } = DefaultMaxBatchSize;

    public int MaxNumTokens { get; init; } = DefaultMaxNumTokens;

    public int MaxSeqLen { get; init; } = DefaultMaxSeqLen;

    public int TensorParallelSize { get; init; } = 1;

    public int PipelineParallelSize { get; init; } = 1;

    public bool EnableAttentionDp { get; init; }

    /// <summary>Stream a chunk every N generated tokens (TensorRT-LLM <c>stream_interval</c>).</summary>
    public int StreamInterval { get; init; } = 1;

    /// <summary>Print one iteration-stats line per scheduler iteration.</summary>
    public bool PrintIterLog { get; init; }

    public string CacheTransceiverBackend { get; init; } = "DEFAULT";
}
