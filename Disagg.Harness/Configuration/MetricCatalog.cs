namespace Disagg.Harness.Configuration;

/// <summary>The single table of every metric the harness knows. Parsers, thresholds, documents and reports read it.</summary>
public static class MetricCatalog
{
    public static readonly IReadOnlyList<MetricInfo> All =
    [
        new("total_requests", "Total requests:", "", Direction.None, null, IsInteger: true),
        new("successful_requests", "Successful requests:", "", Direction.None, null, IsInteger: true),
        new("failed_requests", "Failed requests:", "", Direction.Minimize, null, IsInteger: true),
        new("benchmark_duration_s", "Benchmark duration (s):", "s", Direction.None, null),
        new("total_input_tokens", "Total input tokens:", "", Direction.None, null, IsInteger: true),
        new("total_generated_tokens", "Total generated tokens:", "", Direction.None, null, IsInteger: true),
        new("request_throughput", "Request throughput (req/s):", "req/s", Direction.Maximize, "d_seq_throughput"),
        new("request_goodput", "Request goodput (req/s):", "req/s", Direction.Maximize, null),
        new("output_token_throughput", "Output token throughput (tok/s):", "tok/s", Direction.Maximize, "d_token_throughput"),
        new("total_token_throughput", "Total Token throughput (tok/s):", "tok/s", Direction.Maximize, "d_total_token_throughput"),
        new("user_throughput", "User throughput (tok/s):", "tok/s", Direction.Maximize, "d_user_throughput"),
        new("mean_avg_decoded_tokens_per_iter", "Mean Avg Decoded Tokens per Iter:", "", Direction.Maximize, "d_al"),
        new("median_avg_decoded_tokens_per_iter", "Median Avg Decoded Tokens per Iter:", "", Direction.Maximize, null),
        new("std_avg_decoded_tokens_per_iter", "Std Dev Avg Decoded Tokens per Iter:", "", Direction.None, null),
        new("min_avg_decoded_tokens_per_iter", "Min Avg Decoded Tokens per Iter:", "", Direction.None, null),
        new("max_avg_decoded_tokens_per_iter", "Max Avg Decoded Tokens per Iter:", "", Direction.None, null),
        new("p99_avg_decoded_tokens_per_iter", "P99 Avg Decoded Tokens per Iter:", "", Direction.None, null),
        .. Latency("ttft", "TTFT"),
        .. Latency("tpot", "TPOT"),
        .. Latency("itl", "ITL"),
        .. Latency("e2el", "E2EL"),
        // vLLM's client (and the SA client derived from it) prints these; the default client does not.
        new("input_token_throughput", "Input token throughput (tok/s):", "tok/s", Direction.Maximize, null),
        new("peak_output_token_throughput", "Peak output token throughput (tok/s):", "tok/s", Direction.Maximize, null),
        new("peak_concurrent_requests", "Peak concurrent requests:", "", Direction.None, null),
        new("max_request_concurrency", "Maximum request concurrency:", "", Direction.None, null, IsInteger: true),
        new("total_energy_j", "Total Energy (J):", "J", Direction.Minimize, null),
        new("output_tps_per_w", "Output Tokens per Second per Watt (tps/W):", "tps/W", Direction.Maximize, null),
        new("total_gpu_power_w", "Total GPU Power (W):", "W", Direction.None, null),
        // gen_only: computed from the gen servers' iteration logs (GenStepTimes), not printed by the client.
        new("mean_gen_worker_per_iter_device_step_time", "Average Per Iter Device Step Time (ms):", "ms", Direction.Minimize,
            "d_mean_gen_worker_per_iter_device_step_time"),
        new("median_gen_worker_per_iter_device_step_time", "Median Per Iter Device Step Time (ms):", "ms", Direction.Minimize,
            "d_median_gen_worker_per_iter_device_step_time"),
        new("std_gen_worker_per_iter_device_step_time", "Stdev Per Iter Device Step Time (ms):", "ms", Direction.Minimize,
            "d_std_gen_worker_per_iter_device_step_time"),
        new("p75_gen_worker_per_iter_device_step_time", "P75 Per Iter Device Step Time (ms):", "ms", Direction.Minimize,
            "d_p75_gen_worker_per_iter_device_step_time"),
        new("p99_gen_worker_per_iter_device_step_time", "P99 Per Iter Device Step Time (ms):", "ms", Direction.Minimize,
            "d_p99_gen_worker_per_iter_device_step_time"),
    ];

    /// <summary>Metrics every complete result block must have (the default client with all four percentile metrics).</summary>
    public static readonly IReadOnlyList<string> Required =
    [
        "total_requests", "successful_requests", "failed_requests", "benchmark_duration_s",
        "request_throughput", "output_token_throughput", "total_token_throughput",
        "mean_ttft_ms", "median_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "median_tpot_ms", "p99_tpot_ms",
        "mean_itl_ms", "median_itl_ms", "p99_itl_ms", "mean_e2el_ms", "median_e2el_ms", "p99_e2el_ms",
    ];

    /// <summary>Other spellings of a catalog label: vLLM's lower-case "token", the unprefixed decoded-tokens mean, sglang's "Max".</summary>
    private static readonly Dictionary<string, string> LabelAliases = new(StringComparer.Ordinal)
    {
        ["Total token throughput (tok/s):"] = "total_token_throughput",
        ["Avg Decoded Tokens per Iter:"] = "mean_avg_decoded_tokens_per_iter",
        ["Max request concurrency:"] = "max_request_concurrency",
    };

    private static readonly Dictionary<string, MetricInfo> ByNameMap = All.ToDictionary(m => m.Name, StringComparer.Ordinal);
    private static readonly Dictionary<string, MetricInfo> ByLabelMap = All.ToDictionary(m => m.Label, StringComparer.Ordinal);

    /// <summary>A catalog metric, or a latency percentile the client prints with <c>--metric-percentiles</c> (<see cref="Percentiles"/>).</summary>
    public static MetricInfo? ByName(string name) => ByNameMap.GetValueOrDefault(name) ?? LatencyPercentiles.ByName(name);

    public static MetricInfo? ByLabel(string label) =>
        ByLabelMap.GetValueOrDefault(label) ?? (LabelAliases.TryGetValue(label, out var name) ? ByNameMap[name] : LatencyPercentiles.ByLabel(label));

    public static IEnumerable<string> Names => ByNameMap.Keys;

    /// <summary>The metrics among <paramref name="names"/> that are not in <see cref="All"/> but known (latency percentiles), in name order.</summary>
    public static IEnumerable<MetricInfo> Percentiles(IEnumerable<string> names) =>
        names.Where(n => !ByNameMap.ContainsKey(n)).Select(LatencyPercentiles.ByName).OfType<MetricInfo>().OrderBy(m => m.Name, StringComparer.Ordinal);

    private static IEnumerable<MetricInfo> Latency(string key, string label) =>
    [
        new($"mean_{key}_ms", $"Mean {label} (ms):", "ms", Direction.Minimize, $"d_mean_{key}"),
        new($"median_{key}_ms", $"Median {label} (ms):", "ms", Direction.Minimize, $"d_median_{key}"),
        new($"std_{key}_ms", $"Std Dev {label} (ms):", "ms", Direction.None, null),
        new($"p99_{key}_ms", $"P99 {label} (ms):", "ms", Direction.Minimize, $"d_p99_{key}"),
    ];
}
