using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

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
