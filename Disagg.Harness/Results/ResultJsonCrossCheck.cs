using System.Globalization;
using System.Text.Json;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Results;

/// <summary>
/// Compares each result block with the client's own <c>concurrency_N/result.json</c>
///. The log prints rounded values (2 decimals, 4 for energy, integers
/// exact), so only a difference beyond half a printed digit counts as a disagreement.
/// </summary>
public static class ResultJsonCrossCheck
{
    /// <summary>result.json key (a path with '.' for nested objects) → catalog metric name.</summary>
    public static readonly IReadOnlyList<(string Key, string Metric)> Keys =
    [
        ("completed", "successful_requests"),
        ("duration", "benchmark_duration_s"),
        ("total_input_tokens", "total_input_tokens"),
        ("total_output_tokens", "total_generated_tokens"),
        ("request_throughput", "request_throughput"),
        // The client writes "request_goodput" (older versions "request_goodput:", with the colon); the first key present is compared.
        ("request_goodput", "request_goodput"),
        ("request_goodput:", "request_goodput"),
        ("output_throughput", "output_token_throughput"),
        ("total_token_throughput", "total_token_throughput"),
        ("user_throughput", "user_throughput"),
        ("mean_avg_decoded_tokens_per_iter", "mean_avg_decoded_tokens_per_iter"),
        ("median_avg_decoded_tokens_per_iter", "median_avg_decoded_tokens_per_iter"),
        ("std_avg_decoded_tokens_per_iter", "std_avg_decoded_tokens_per_iter"),
        ("min_avg_decoded_tokens_per_iter", "min_avg_decoded_tokens_per_iter"),
        ("max_avg_decoded_tokens_per_iter", "max_avg_decoded_tokens_per_iter"),
        ("p99_avg_decoded_tokens_per_iter", "p99_avg_decoded_tokens_per_iter"),
        .. Latency("ttft"), .. Latency("tpot"), .. Latency("itl"), .. Latency("e2el"),
        ("energy.total_energy_j", "total_energy_j"),
        ("energy.output_tps_per_w", "output_tps_per_w"),
        ("energy.total_gpu_power_w", "total_gpu_power_w"),
    ];

    /// <summary>Cross-checks with files named <c>concurrency_N/result.json</c> next to the log.</summary>
    public static IReadOnlyList<string> Check(BenchmarkLog log, IReadOnlyDictionary<int, string> jsonByConcurrency) =>
        Check(log, jsonByConcurrency, c => Path.Combine(Path.GetDirectoryName(log.File) ?? "", $"concurrency_{c}", "result.json"));

    /// <param name="fileOf">The name of the json file of a concurrency, for messages.</param>
    public static IReadOnlyList<string> Check(BenchmarkLog log, IReadOnlyDictionary<int, string> jsonByConcurrency, Func<int, string> fileOf)
    {
        var problems = new List<string>();
        foreach (var (c, json) in jsonByConcurrency.OrderBy(p => p.Key))
        {
            var file = fileOf(c);
            var block = log.Blocks.LastOrDefault(b => b.Concurrency == c);
            if (block is null)
            {
                problems.Add($"{file}: result.json exists for concurrency {c} but {log.File} has no result block for it; " +
                    "the log is incomplete or belongs to another run");
                continue;
            }
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(JsonNonFinite.ToNull(json));
            }
            catch (JsonException e)
            {
                problems.Add($"{file}: not valid JSON ({e.Message}); cannot cross-check concurrency {c} against {log.File}");
                continue;
            }
            using (document)
                problems.AddRange(Compare(block, document.RootElement, c, file, log.File));
        }
        return problems;
    }

    private static IEnumerable<string> Compare(ConcurrencyResult block, JsonElement root, int c, string file, string logFile)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            yield return $"{file}: expected a JSON object, got {root.ValueKind}";
            yield break;
        }
        var at = $"concurrency {c}";
        if (Number(root, "max_concurrency") is { } maxConcurrency && maxConcurrency != c)
            yield return $"{at}: max_concurrency={Show(maxConcurrency)} in {file} " +
                $"but the block in {logFile} (line {block.StartLine}) is bound to concurrency {c}";
        if (Number(root, "num_prompts") is { } prompts && Number(root, "completed") is { } completed && block["failed_requests"] is { } failed &&
            prompts - completed != failed)
            yield return $"{at}: failed requests disagree: {Show(failed)} in {logFile} (line {block.StartLine}) " +
                $"vs num_prompts - completed = {Show(prompts - completed)} in {file}";
        var compared = new HashSet<string>(StringComparer.Ordinal);
        // Every other percentile the client printed (--metric-percentiles) is saved under the same name.
        var percentiles = block.Metrics.Keys.Where(k => LatencyPercentiles.ByName(k) is not null && !Keys.Any(x => x.Metric == k))
            .Order(StringComparer.Ordinal);
        foreach (var (key, metric) in Keys.Concat(percentiles.Select(k => (k, k))))
        {
            if (compared.Contains(metric) || Number(root, key) is not { } expected || block[metric] is not { } printed) continue;
            compared.Add(metric);
            var info = MetricCatalog.ByName(metric)!;
            if (Agrees(printed, expected, Decimals(info))) continue;
            yield return $"{at}: {metric} disagrees beyond rounding: {Show(printed)} in {logFile} (line {block.StartLine}, '{info.Label}') " +
                         $"vs {Show(expected)} in {file} (key '{key}'); " +
                         "the log and result.json should come from the same client run";
        }
    }

    /// <summary>Digits after the decimal point the client prints for a metric.</summary>
    public static int Decimals(MetricInfo info) => info.IsInteger ? 0 : info.Name is "total_energy_j" or "output_tps_per_w" or "total_gpu_power_w" ? 4 : 2;

    public static bool Agrees(double printed, double exact, int decimals)
    {
        if (double.IsNaN(printed) || double.IsNaN(exact)) return double.IsNaN(printed) && double.IsNaN(exact);
        if (double.IsInfinity(printed) || double.IsInfinity(exact)) return printed.Equals(exact);
        var halfDigit = 0.5 * Math.Pow(10, -decimals);
        return Math.Abs(printed - exact) <= halfDigit + 1e-9 * Math.Max(1, Math.Abs(exact));
    }

    private static double? Number(JsonElement root, string path)
    {
        var current = root;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current)) return null;
        }
        return current.ValueKind == JsonValueKind.Number ? current.GetDouble() : null;
    }

    private static string Show(double value) => BenchmarkLogText.Format(value);

    private static IEnumerable<(string, string)> Latency(string m) =>
        [($"mean_{m}_ms", $"mean_{m}_ms"), ($"median_{m}_ms", $"median_{m}_ms"), ($"std_{m}_ms", $"std_{m}_ms"), ($"p99_{m}_ms", $"p99_{m}_ms")];
}
