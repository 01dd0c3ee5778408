using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>Reads the fields the harness needs from a worker config, leaving the tree untouched for pass-through.</summary>
public static class WorkerConfigReader
{
    public static readonly IReadOnlyList<string> CacheBackends = ["NIXL", "UCX", "DEFAULT", "MPI"];

    public static readonly IReadOnlyList<string> DecodingTypes = ["MTP", "Eagle", "Eagle3", "NGram", "Medusa", "Lookahead", "DraftTarget", "UserProvided"];

    public static WorkerConfig? Read(YamlSection s, bool isGen = false)
    {
        if (!s.Exists || s.Node is null) return null;
        const int world = InputLimits.MaxWorldSize, big = InputLimits.MaxTokens, small = InputLimits.MaxSmallCount;
        var tp = s.Int("tensor_parallel_size", required: isGen, min: 1, max: world) ?? 1;
        var pp = s.Int("pipeline_parallel_size", min: 1, max: world) ?? 1;
        var cp = s.Int("context_parallel_size", min: 1, max: world) ?? 1;
        var ep = s.Int("moe_expert_parallel_size", min: 1, max: world);
        var batch = s.Int("max_batch_size", required: true, min: 1, max: big);
        var tokens = s.Int("max_num_tokens", required: true, min: 1, max: big);
        // Optional, as for upstream's launcher: without it TensorRT-LLM derives the limit from the model.
        var seq = s.Int("max_seq_len", min: 1, max: big);
        var adp = s.Bool("enable_attention_dp", required: isGen) ?? false;
        var transceiver = s.Section("cache_transceiver_config", required: isGen);
        var backend = transceiver.OneOf("backend", CacheBackends, required: isGen && transceiver.Exists) ?? "DEFAULT";
        var bufferTokens = transceiver.Int("max_tokens_in_buffer", min: 1, max: big);
        var moe = s.Section("moe_config");
        var moeBackend = moe.String("backend");
        var eplb = moe.Raw("load_balancer") is YamlMappingNode
            ? moe.Section("load_balancer").Int("num_slots", min: 0, max: small) ?? 0
            : 0;
        var spec = s.Section("speculative_config");
        var decoding = spec.OneOf("decoding_type", DecodingTypes, required: spec.Exists);
        var mtp = spec.Int("num_nextn_predict_layers", min: 0, max: small) ?? 0;
        var dwdp = s.Section("dwdp_config");
        int? dwdpSize = dwdp.Exists && (dwdp.Bool("enabled") ?? true) ? dwdp.Int("dwdp_size", min: 1, max: world) ?? 1 : null;
        // Unknown keys pass through to trtllm-serve verbatim, so they are not reported here; but every key must be
        // a distinct string, or the JSON copy of the config (resolved_config.json, the Perf DB) cannot be written.
        CheckKeys(s, s.Node);
        if (batch is null || tokens is null) return null;
        return new WorkerConfig(s.Node, tp, pp, cp, batch.Value, tokens.Value, seq, adp, backend, eplb, mtp)
        {
            DecodingType = decoding,
            MoeBackend = moeBackend,
            MoeExpertParallelSize = ep,
            MaxTokensInBuffer = bufferTokens,
            DwdpSize = dwdpSize,
        };
    }

    /// <summary>Mapping keys anywhere in the tree are strings and unique. Depth is bounded by <see cref="YamlShape"/>.</summary>
    private static void CheckKeys(YamlSection s, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                        s.Error(key, "(key)", "a key of a worker config must be a string, not a list, mapping or null");
                    else if (!seen.Add(name))
                        s.Error(key, name, "is a duplicate key");
                    else if (s.CheckText(key, "(key)", name))
                        CheckKeys(s, value);
                }
                break;
            case YamlSequenceNode seq:
                foreach (var item in seq.Children) CheckKeys(s, item);
                break;
        }
    }
}
