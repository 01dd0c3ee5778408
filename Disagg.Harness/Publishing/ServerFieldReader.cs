using System.Globalization;
using Disagg.Harness.Configuration;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Publishing;

/// <summary>
/// The server-config fields of a document (base names, before the role prefix), read from the worker config's YAML
/// with the defaults perf-sanity documents use for keys the YAML leaves out: gpus = tp × cp × pp, 2048 tokens,
/// batch 512, stream interval 10, TRTLLM attention, KV cache fp8 at 0.8 without block reuse, no transceiver backend,
/// padding on. <c>l_num_nextn_predict_layers</c> and <c>l_max_draft_len</c> are both the draft length
/// (<c>max_draft_len</c>, else <c>num_nextn_predict_layers</c>); <c>l_force_num_accepted_tokens</c> comes from the
/// worker's <c>TLLM_SPEC_DECODE_FORCE_NUM_ACCEPTED_TOKENS</c>.
/// </summary>
public static class ServerFieldReader
{
    public const string ForceAcceptedVariable = "TLLM_SPEC_DECODE_FORCE_NUM_ACCEPTED_TOKENS";

    public static IReadOnlyList<TypedField> Read(string serverName, string modelName, WorkerConfig worker, int gpusPerNode, string workerEnvVar)
    {
        var s = new YamlSection("", "", worker.Node, []);
        var adp = s.Section("attention_dp_config");
        var moe = s.Section("moe_config");
        var cudaGraph = s.Section("cuda_graph_config");
        var kv = s.Section("kv_cache_config");
        var transceiver = s.Section("cache_transceiver_config");
        var spec = s.Section("speculative_config");
        var tp = (long)(s.Int("tensor_parallel_size") ?? 1);
        var pp = (long)(s.Int("pipeline_parallel_size") ?? 1);
        var cp = (long)(s.Int("context_parallel_size") ?? 1);
        var gpus = (long)(s.Int("gpus") ?? (int)(tp * cp * pp));
        // A load balancer given as a file path holds its settings in that file, not here.
        var balancer = moe.Raw("load_balancer") is YamlMappingNode ? moe.Section("load_balancer") : new YamlSection("", "", null, []);
        // An empty or null cuda_graph_config means CUDA graphs are off.
        var graphs = cudaGraph.Node is { Children.Count: > 0 };
        var draftLength = (long)(spec.Int("max_draft_len") ?? spec.Int("num_nextn_predict_layers") ?? 0);
        return
        [
            new("s_server_name", serverName),
            new("s_model_name", modelName.ToLowerInvariant()),
            new("l_gpus", gpus),
            new("l_tp", tp),
            new("l_ep", (long)(s.Int("moe_expert_parallel_size") ?? 1)),
            new("l_pp", pp),
            new("l_cp", cp),
            new("l_gpus_per_node", gpusPerNode > 0 ? (long)gpusPerNode : gpus),
            new("l_max_num_tokens", (long)(s.Int("max_num_tokens") ?? 2048)),
            new("l_max_batch_size", (long)(s.Int("max_batch_size") ?? 512)),
            new("l_max_seq_len", (long)(s.Int("max_seq_len") ?? 0)),
            new("b_disable_overlap_scheduler", s.Bool("disable_overlap_scheduler") ?? false),
            new("l_num_postprocess_workers", (long)(s.Int("num_postprocess_workers") ?? 0)),
            new("l_stream_interval", (long)(s.Int("stream_interval") ?? 10)),
            new("s_attn_backend", s.String("attn_backend") ?? "TRTLLM"),
            new("b_enable_chunked_prefill", s.Bool("enable_chunked_prefill") ?? false),
            new("b_enable_attention_dp", s.Bool("enable_attention_dp") ?? false),
            new("b_trust_remote_code", s.Bool("trust_remote_code") ?? false),
            new("b_enable_lm_head_tp_in_adp", s.Bool("enable_lm_head_tp_in_adp") ?? false),
            new("s_serving_backend", s.String("backend") ?? "pytorch"),
            new("b_attention_dp_balance", adp.Bool("enable_balance") ?? false),
            new("l_batching_wait_iters", (long)(adp.Int("batching_wait_iters") ?? 0)),
            new("l_timeout_iters", (long)(adp.Int("timeout_iters") ?? 60)),
            new("s_moe_backend", moe.String("backend") ?? ""),
            new("l_moe_max_num_tokens", (long)(moe.Int("max_num_tokens") ?? 0)),
            new("b_use_low_precision_moe_combine", moe.Bool("use_low_precision_moe_combine") ?? false),
            new("l_load_balancer_num_slots", (long)(balancer.Int("num_slots") ?? 0)),
            new("l_load_balancer_layer_updates_per_iter", (long)(balancer.Int("layer_updates_per_iter") ?? 0)),
            new("b_enable_cuda_graph", graphs),
            new("b_enable_padding", graphs ? cudaGraph.Bool("enable_padding") ?? true : true),
            new("l_cuda_graph_max_batch_size", graphs ? (long)(cudaGraph.Int("max_batch_size") ?? 0) : 0L),
            new("s_cuda_graph_batch_sizes", graphs ? JoinList(cudaGraph.Raw("batch_sizes")) : ""),
            new("s_kv_cache_dtype", kv.String("dtype") ?? "fp8"),
            new("b_enable_block_reuse", kv.Bool("enable_block_reuse") ?? false),
            new("d_free_gpu_memory_fraction", kv.Double("free_gpu_memory_fraction") ?? 0.8),
            new("s_cache_transceiver_backend", transceiver.String("backend") ?? ""),
            new("l_cache_transceiver_max_tokens_in_buffer", (long)(transceiver.Int("max_tokens_in_buffer") ?? 0)),
            new("s_spec_decoding_type", spec.String("decoding_type") ?? ""),
            new("l_num_nextn_predict_layers", draftLength),
            new("s_eagle3_layers_to_capture", JoinList(spec.Raw("eagle3_layers_to_capture"))),
            new("l_max_draft_len", draftLength),
            new("l_force_num_accepted_tokens", ForcedAcceptedTokens(workerEnvVar)),
            new("s_speculative_model_dir", spec.String("speculative_model") ?? ""),
            new("b_eagle3_one_model", spec.Bool("eagle3_one_model") ?? false),
            new("s_server_log_link", ""),
            new("s_server_env_var", workerEnvVar),
        ];
    }

    /// <summary>The forced accepted-token count of a <c>K=V K2=V2</c> string, truncated to an integer (the runtime accepts fractions); 0 when unset.</summary>
    public static long ForcedAcceptedTokens(string envVars)
    {
        var value = envVars.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .LastOrDefault(p => p.Length == 2 && p[0] == ForceAcceptedVariable)?[1];
        if (value is null || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d)) return 0;
        return (long)Math.Truncate(d);
    }

    private static string JoinList(YamlNode? node) => node switch
    {
        YamlSequenceNode seq => string.Join(",", seq.Children.OfType<YamlScalarNode>().Select(c => c.Value)),
        YamlScalarNode scalar => scalar.Value ?? "",
        _ => "",
    };
}
