using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>Reads the fields the harness needs from a worker config, leaving the tree untouched for pass-through.</summary>
public static class WorkerConfigReader
{
    public static WorkerConfig? Read(YamlSection s)
    {
        if (!s.Exists || s.Node is null) return null;
        var tp = s.Int("tensor_parallel_size", min: 1) ?? 1;
        var pp = s.Int("pipeline_parallel_size", min: 1) ?? 1;
        var cp = s.Int("context_parallel_size", min: 1) ?? 1;
        var batch = s.Int("max_batch_size", required: true, min: 1);
        var tokens = s.Int("max_num_tokens", required: true, min: 1);
        var seq = s.Int("max_seq_len", required: true, min: 1);
        var adp = s.Bool("enable_attention_dp") ?? false;
        var backend = s.Section("cache_transceiver_config").String("backend") ?? "DEFAULT";
        var eplb = s.Section("moe_config").Section("load_balancer").Node is null
            ? 0
            : s.Section("moe_config").Section("load_balancer").Int("num_slots") ?? 0;
        var mtp = s.Section("speculative_config").Int("num_nextn_predict_layers") ?? 0;
        // Unknown keys pass through to trtllm-serve verbatim, so they are not reported here.
        if (batch is null || tokens is null || seq is null) return null;
        return new WorkerConfig(s.Node, tp, pp, cp, batch.Value, tokens.Value, seq.Value, adp, backend, eplb, mtp);
    }
}
