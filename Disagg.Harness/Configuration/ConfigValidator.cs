using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>
/// Cross-field rules of the old harness (with corrected messages) plus Disagg's own. Every violation is
/// reported, each with the line of the field it is about, before anything is submitted.
/// </summary>
public static class ConfigValidator
{
    public static IReadOnlyList<ConfigError> Validate(DisaggConfig c, YamlMappingNode root)
    {
        var errors = new List<ConfigError>();
        void Add(string path, string message) => errors.Add(new ConfigError(c.SourceFile, LineOf(root, path), ColumnOf(root, path), path, message));

        // Sizes first: the rules below multiply them, and an oversized job must be refused before it is rendered.
        if (!CheckSizes(c, Add)) return errors;
        var gen = c.Gen;
        // Products and sums in long: each factor is bounded, but a product of two bounded ints can still overflow int.
        long isl = c.Benchmark.InputLength;
        long osl = c.Benchmark.OutputLength;
        if (gen.MtpLayers > 0 && gen.MaxNumTokens < (long)gen.MaxBatchSize * (gen.MtpLayers + 1))
            Add("worker_config.gen.max_num_tokens",
                $"must be >= max_batch_size x (mtp + 1) = {gen.MaxBatchSize} x {gen.MtpLayers + 1} = {(long)gen.MaxBatchSize * (gen.MtpLayers + 1)}, " +
                $"got {gen.MaxNumTokens}");
        if (!c.Benchmark.Streaming)
            Add("benchmark.streaming", "must be true: TTFT and ITL are only measured with streaming");
        if (c.Ctx.MaxSeqLen is { } ctxSeq && ctxSeq <= isl)
            Add("worker_config.ctx.max_seq_len", $"must be > input_length ({isl}), got {ctxSeq}");
        if (gen.MaxSeqLen is { } genSeq && genSeq <= isl + osl)
            Add("worker_config.gen.max_seq_len", $"must be > input_length + output_length ({isl} + {osl} = {isl + osl}), got {genSeq}");
        if (c.Benchmark.ConcurrencyList.Count == 0)
            Add("benchmark.concurrency_list", "is empty; give at least one concurrency");
        var limit = gen.EnableAttentionDp ? (long)gen.MaxBatchSize * gen.TensorParallelSize : gen.MaxBatchSize;
        var limitText = gen.EnableAttentionDp
            ? $"gen max_batch_size x tensor_parallel_size = {gen.MaxBatchSize} x {gen.TensorParallelSize} = {limit} (attention DP on)"
            : $"gen max_batch_size = {limit} (attention DP off)";
        foreach (var value in c.Benchmark.ConcurrencyList.Where(v => v > limit))
            Add("benchmark.concurrency_list", $"concurrency {value} exceeds {limitText}");
        if (c.Benchmark.Mode == BenchmarkMode.GenOnly && c.Benchmark.UseNvSaBenchmark)
            Add("benchmark.use_nv_sa_benchmark", "the nv_sa client is not supported in gen_only mode");
        if (c.Benchmark.UseAiperf && c.Benchmark.UseNvSaBenchmark)
            Add("benchmark.use_aiperf", "selects the aiperf client, but use_nv_sa_benchmark selects the SA client; set one of them to false");
        if (c.Hardware.NumCtxServers == 0 && c.Benchmark.Mode == BenchmarkMode.E2E)
            Add("hardware.num_ctx_servers", "must be >= 1 in e2e mode");
        var gpn = c.Hardware.GpusPerNode;
        foreach (var (role, worker, servers) in new[] { ("ctx", c.Ctx, c.Hardware.NumCtxServers), ("gen", gen, c.Hardware.NumGenServers) })
        {
            if (servers == 0) continue;
            // hardware.compact_packing places any layout (hostfile, arbitrary distribution, per-rank GPU map): no straddle rule.
            if (c.Hardware.CompactPacking) { }
            else if (worker.WorldSize > gpn && worker.WorldSize % gpn != 0)
                Add($"worker_config.{role}.tensor_parallel_size",
                    $"world size {worker.WorldSize} (tp x pp x cp) spans nodes but is not a multiple of hardware.gpus_per_node ({gpn}); " +
                    "set hardware.compact_packing: true to pack servers GPU by GPU");
            else if (worker.WorldSize < gpn && servers > 1 && gpn % worker.WorldSize != 0)
                Add($"worker_config.{role}.tensor_parallel_size",
                    $"world size {worker.WorldSize} (tp x pp x cp) does not divide hardware.gpus_per_node ({gpn}), " +
                    $"so {servers} {role} servers would straddle nodes; set hardware.compact_packing: true to pack servers GPU by GPU");
            if (FindNode(root, $"worker_config.{role}.num_instances") is YamlScalarNode n
                && n.Value != servers.ToString(System.Globalization.CultureInfo.InvariantCulture))
                Add($"worker_config.{role}.num_instances", $"is {n.Value} but hardware.num_{role}_servers is {servers}; they must agree");
        }
        // A <dataset_file> placeholder is filled by the environment later; PlaceholderCheck names the variable if nothing does.
        var datasetPlaceholder = FindNode(root, "benchmark.dataset_file") is YamlScalarNode { Value: var v } && Placeholder.Is(v);
        if (c.Benchmark.EnableBenchmark && c.Benchmark.UseAiperf && c.Benchmark.DatasetFile.Length == 0 && !datasetPlaceholder)
            Add(c.Benchmark.RandomDatasetChosen ? "benchmark.dataset_file" : "benchmark.use_aiperf",
                "the aiperf client reads a mooncake_trace dataset (--input-file) and has no random dataset: set benchmark.dataset_file " +
                "to a JSONL trace (Disagg.Sim.dll gen-dataset --format mooncake_trace writes one), or set use_aiperf: false");
        else if (c.Benchmark.EnableBenchmark && !c.Benchmark.UseNvSaBenchmark && c.Benchmark.DatasetFile.Length == 0 &&
            !c.Benchmark.RandomDatasetChosen && !datasetPlaceholder)
            Add("benchmark.dataset_file",
                "is required by the default benchmark client (trtllm_custom): set benchmark.dataset_file, " +
                "or metadata.dataset_file with DISAGG_DATASET_DIR, or write dataset_file: \"\" to use the random dataset");
        return errors;
    }

    /// <summary>
    /// World size per server, nodes per job and effective concurrency against <see cref="InputLimits"/>, in checked
    /// long arithmetic (tp = pp = 65536 once overflowed int to a world size of 0). False when the job is too big to render.
    /// </summary>
    private static bool CheckSizes(DisaggConfig c, Action<string, string> add)
    {
        var ok = true;
        var gpn = c.Hardware.GpusPerNode;
        var nodes = 0L;
        var ctxServers = c.Benchmark.Mode == BenchmarkMode.GenOnlyNoContext ? 0 : c.Hardware.NumCtxServers;
        var servers = new[] { ("ctx", c.Ctx, ctxServers), ("gen", c.Gen, c.Hardware.NumGenServers) };
        foreach (var (role, worker, count) in servers)
        {
            var world = worker.WorldSizeWide;
            if (world > InputLimits.MaxWorldSize)
            {
                add($"worker_config.{role}.tensor_parallel_size",
                    $"world size tp x pp x cp = {worker.TensorParallelSize} x {worker.PipelineParallelSize} x {worker.ContextParallelSize} = {world} " +
                    $"is above the limit of {InputLimits.MaxWorldSize} GPUs per server (docs/limits.md)");
                ok = false;
                continue;
            }
            nodes = checked(nodes + (world * count + gpn - 1) / gpn);
        }
        if (ok && nodes > InputLimits.MaxNodes)
        {
            add("hardware",
                $"the job needs {nodes} nodes (ctx and gen servers x world size / gpus_per_node); the limit is {InputLimits.MaxNodes} (docs/limits.md)");
            ok = false;
        }
        foreach (var value in c.Benchmark.ConcurrencyList)
        {
            var effective = (long)value * c.Hardware.NumGenServers;
            if (effective <= InputLimits.MaxConcurrency) continue;
            add("benchmark.concurrency_list",
                $"concurrency {value} x num_gen_servers {c.Hardware.NumGenServers} = {effective} " +
                $"is above the limit of {InputLimits.MaxConcurrency} (docs/limits.md)");
            ok = false;
        }
        return ok;
    }

    private static YamlNode? Find(YamlMappingNode root, string path)
    {
        YamlNode? node = root;
        foreach (var part in path.Split('.'))
        {
            if (node is not YamlMappingNode map) return null;
            node = map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && s.Value == part).Value;
        }
        return node;
    }

    /// <summary>The node at the path, or the deepest existing ancestor (so a missing key points at its section).</summary>
    private static YamlNode Nearest(YamlMappingNode root, string path)
    {
        YamlNode node = root;
        foreach (var part in path.Split('.'))
        {
            if (node is not YamlMappingNode map) break;
            var next = map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && s.Value == part).Value;
            if (next is null) break;
            node = next;
        }
        return node;
    }

    internal static YamlNode? FindNode(YamlMappingNode root, string path) => Find(root, path);

    internal static int LineOf(YamlMappingNode root, string path) => (int)Nearest(root, path).Start.Line;
    internal static int ColumnOf(YamlMappingNode root, string path) => (int)Nearest(root, path).Start.Column;
}
