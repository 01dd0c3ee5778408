namespace Disagg.Harness.Publishing;

/// <summary>
/// The one place output throughput is normalised per GPU, computed once at publish time and stored with the results
/// (the document field <see cref="Field"/>, the Perf DB column <c>perf_results.output_tps_per_gpu</c>), so trend, Pareto
/// and compare read the stored value instead of re-deriving it. e2e divides by every GPU of the job (ctx servers ×
/// their GPUs + gen servers × theirs); gen_only (and gen_only_no_context) by the decode (gen) GPUs only, since the
/// context servers there only prime the KV cache. A server's GPUs are its <c>l_gpus</c> field (tp × cp × pp by default).
/// </summary>
public static class PerGpuThroughput
{
    /// <summary>Output tokens/s per GPU (a double field).</summary>
    public const string Field = "d_output_token_throughput_per_gpu";

    /// <summary>The GPUs <see cref="Field"/> is divided by (an integer field).</summary>
    public const string GpusField = "l_output_throughput_gpus";

    /// <summary>The catalog metric that is normalised.</summary>
    public const string Metric = "output_token_throughput";

    /// <summary>The GPUs the throughput of <paramref name="record"/> is divided by; null when the configs give none.</summary>
    public static int? Gpus(PublishRecord record) =>
        Gpus(record.BenchmarkMode, record.NumCtxServers, ServerGpus(record.CtxServer), record.NumGenServers, ServerGpus(record.GenServer));

    /// <summary>Table form: the mode's divisor from server counts and GPUs per server.</summary>
    public static int? Gpus(string benchmarkMode, int numCtx, long ctxGpus, int numGen, long genGpus)
    {
        var decode = numGen * genGpus;
        var total = benchmarkMode.StartsWith("gen_only", StringComparison.Ordinal) ? decode : decode + numCtx * ctxGpus;
        return total > 0 ? (int)total : null;
    }

    /// <summary>Output tokens/s per GPU of one concurrency, or null without a throughput or a divisor.</summary>
    public static double? PerGpu(PublishRecord record, ConcurrencyMetrics result) =>
        Gpus(record) is { } gpus && result.Metrics.TryGetValue(Metric, out var tps) && double.IsFinite(tps) ? tps / gpus : null;

    private static long ServerGpus(IReadOnlyList<TypedField> fields) =>
        fields.FirstOrDefault(f => f.Key == "l_gpus")?.Value switch
        {
            long l => l,
            int i => i,
            _ => 0,
        };
}
