using Disagg.Harness.Configuration;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Reads the reference's server-config fields (base names, before the role prefix) from a worker config,
/// with the reference's defaults for keys the YAML leaves out.
/// </summary>
public static class ServerFieldReader
{
    public static IReadOnlyList<TypedField> Read(string serverName, string modelName, WorkerConfig worker, int gpusPerNode, string serverEnvVar)
    {
        var s = new YamlSection("", "", worker.Node, []);
        var adp = s.Section("attention_dp_config");
        var moe = s.Section("moe_config");
        var balancer = moe.Section("load_balancer");
        var cudaGraph = s.Section("cuda_graph_config");
        var kv = s.Section("kv_cache_config");
        var transceiver = s.Section("cache_transceiver_config");
        var spec = s.Section("speculative_config");
        return
        [
            new("s_server_name", serverName),
            new("s_model_name", modelName.ToLowerInvariant()),
            new("l_gpus", (long)worker.WorldSize),
            new("l_tp", (long)worker.TensorParallelSize),
            new("l_ep", (long)(s.Int("moe_expert_parallel_size") ?? 1)),
            new("l_pp", (long)worker.PipelineParallelSize),
            new("l_cp", (long)worker.ContextParallelSize),
            new("l_gpus_per_node", (long)gpusPerNode),
            new("l_max_num_tokens", (long)worker.MaxNumTokens),
            new("l_max_batch_size", (long)worker.MaxBatchSize),
            new("l_max_seq_len", (long)(worker.MaxSeqLen ?? 0)),
            new("b_disable_overlap_scheduler", s.Bool("disable_overlap_scheduler") ?? false),
            new("l_num_postprocess_workers", (long)(s.Int("num_postprocess_workers") ?? 0)),
            new("l_stream_interval", (long)(s.Int("stream_interval") ?? 10)),
            new("s_attn_backend", s.String("attn_backend") ?? "TRTLLM"),
            new("b_enable_chunked_prefill", s.Bool("enable_chunked_prefill") ?? false),
            new("b_enable_attention_dp", worker.EnableAttentionDp),
            new("b_trust_remote_code", s.Bool("trust_remote_code") ?? false),
            new("b_enable_lm_head_tp_in_adp", s.Bool("enable_lm_head_tp_in_adp") ?? false),
            new("b_attention_dp_balance", adp.Bool("enable_balance") ?? false),
            new("l_batching_wait_iters", (long)(adp.Int("batching_wait_iters") ?? 0)),
            new("l_timeout_iters", (long)(adp.Int("timeout_iters") ?? 60)),
            new("s_moe_backend", moe.String("backend") ?? ""),
            new("l_moe_max_num_tokens", (long)(moe.Int("max_num_tokens") ?? 0)),
            new("b_use_low_precision_moe_combine", moe.Bool("use_low_precision_moe_combine") ?? false),
            new("l_load_balancer_num_slots", (long)(balancer.Int("num_slots") ?? 0)),
            new("l_load_balancer_layer_updates_per_iter", (long)(balancer.Int("layer_updates_per_iter") ?? 0)),
            new("b_enable_cuda_graph", cudaGraph.Exists),
            new("b_enable_padding", cudaGraph.Bool("enable_padding") ?? true),
            new("l_cuda_graph_max_batch_size", (long)(cudaGraph.Int("max_batch_size") ?? 0)),
            new("s_cuda_graph_batch_sizes", JoinList(cudaGraph.Raw("batch_sizes"))),
            new("s_kv_cache_dtype", kv.String("dtype") ?? "fp8"),
            new("b_enable_block_reuse", kv.Bool("enable_block_reuse") ?? true),
            new("d_free_gpu_memory_fraction", kv.Double("free_gpu_memory_fraction") ?? 0.8),
            new("s_cache_transceiver_backend", worker.CacheTransceiverBackend),
            new("l_cache_transceiver_max_tokens_in_buffer", (long)(transceiver.Int("max_tokens_in_buffer") ?? 0)),
            new("s_spec_decoding_type", spec.String("decoding_type") ?? ""),
            new("l_num_nextn_predict_layers", (long)worker.MtpLayers),
            new("s_eagle3_layers_to_capture", JoinList(spec.Raw("eagle3_layers_to_capture"))),
            new("l_max_draft_len", (long)(spec.Int("max_draft_len") ?? 0)),
            new("s_speculative_model_dir", spec.String("speculative_model_dir") ?? ""),
            new("b_eagle3_one_model", spec.Bool("eagle3_one_model") ?? false),
            new("s_server_log_link", ""),
            new("s_server_env_var", serverEnvVar),
        ];
    }

    private static string JoinList(YamlNode? node) => node switch
    {
        YamlSequenceNode seq => string.Join(",", seq.Children.OfType<YamlScalarNode>().Select(c => c.Value)),
        YamlScalarNode scalar => scalar.Value ?? "",
        _ => "",
    };
}
