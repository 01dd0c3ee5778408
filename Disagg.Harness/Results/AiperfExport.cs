using System.Globalization;
using System.Text.Json;

namespace Disagg.Harness.Results;

/// <summary>
/// Reads aiperf's <c>profile_export_aiperf.json</c> (top-level metric tags, each <c>{unit, avg, min, max, p1..p99, std}</c>;
/// counts and rates carry only <c>unit</c> and <c>avg</c>) into the catalog names the default client's result block uses, so
/// thresholds, regression and documents work unchanged. The mapping (docs/upstream-conformance.md repeats it):
/// <list type="bullet">
/// <item><c>time_to_first_token</c> → ttft, <c>inter_token_latency</c> → tpot (aiperf's ITL is (latency − TTFT)/(OSL − 1), the
/// default client's TPOT), <c>inter_chunk_latency</c> → itl when exported, else inter_token_latency, <c>request_latency</c> → e2el;
/// <c>avg</c>/<c>p50</c>/<c>std</c>/<c>p90</c>/<c>p95</c>/<c>p99</c> → mean_/median_/std_/p90_/p95_/p99_&lt;x&gt;_ms, converted by <c>unit</c>;</item>
/// <item><c>request_count</c> → successful_requests, <c>error_request_count</c> → failed_requests (absent: 0), their sum →
/// total_requests, <c>benchmark_duration</c> → benchmark_duration_s, <c>total_isl</c> → total_input_tokens,
/// <c>total_output_tokens</c> → total_generated_tokens;</item>
/// <item><c>request_throughput</c>, <c>output_token_throughput</c>, <c>total_token_throughput</c> (absent: (total_isl +
/// total_output_tokens) / duration) by name, <c>output_token_throughput_per_user</c> → user_throughput.</item>
/// </list>
/// </summary>
public static class AiperfExport
{
    /// <summary>aiperf latency tag → catalog key (ttft, tpot, itl, e2el); itl prefers inter_chunk_latency.</summary>
    public static readonly IReadOnlyList<(string Tag, string Key)> Latencies =
    [
        ("time_to_first_token", "ttft"), ("inter_token_latency", "tpot"), ("inter_chunk_latency", "itl"), ("inter_token_latency", "itl"),
        ("request_latency", "e2el"),
    ];

    /// <summary>aiperf stat field → catalog prefix of a latency.</summary>
    public static readonly IReadOnlyList<(string Stat, string Prefix)> LatencyStats =
        [("avg", "mean"), ("p50", "median"), ("std", "std"), ("p90", "p90"), ("p95", "p95"), ("p99", "p99")];

    /// <summary>aiperf tag whose <c>avg</c> is one value → catalog name.</summary>
    public static readonly IReadOnlyList<(string Tag, string Metric)> Scalars =
    [
        ("request_count", "successful_requests"), ("error_request_count", "failed_requests"), ("benchmark_duration", "benchmark_duration_s"),
        ("total_isl", "total_input_tokens"), ("total_output_tokens", "total_generated_tokens"), ("request_throughput", "request_throughput"),
        ("output_token_throughput", "output_token_throughput"), ("total_token_throughput", "total_token_throughput"),
        ("output_token_throughput_per_user", "user_throughput"),
    ];

    /// <summary>The export's metrics under catalog names, or a problem naming the file (and line, for broken JSON) and what to do.</summary>
    public static bool TryParse(string text, string file, out IReadOnlyDictionary<string, double> metrics, out string problem)
    {
        metrics = new Dictionary<string, double>();
        problem = "";
        if (text.Trim().Length == 0)
        {
            problem = $"{file}: empty; aiperf did not finish writing its export for this concurrency";
            return false;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(JsonNonFinite.ToNull(text));
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var what = EndsEarly(JsonNonFinite.ToNull(text)) ? "truncated" : "not valid JSON";
            problem = $"{file}:{line.ToString(CultureInfo.InvariantCulture)}: {what} ({FirstSentence(e.Message)}); " +
                      "aiperf was cut off or the file is damaged, so this concurrency has no results; rerun it";
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = $"{file}:1: expected aiperf's export object of metric tags, got a JSON {root.ValueKind.ToString().ToLowerInvariant()}";
                return false;
            }
            var result = new Dictionary<string, double>(StringComparer.Ordinal);
            var errors = new List<string>();
            foreach (var (tag, key) in Latencies)
            {
                if (result.ContainsKey($"mean_{key}_ms") || !root.TryGetProperty(tag, out var metric)) continue;
                if (Factor(metric, tag, file, errors) is not { } factor) continue;
                foreach (var (stat, prefix) in LatencyStats)
                    if (Number(metric, stat, tag, file, errors) is { } v) result[$"{prefix}_{key}_ms"] = v * factor;
            }
            foreach (var (tag, name) in Scalars)
                if (root.TryGetProperty(tag, out var metric) && Number(metric, "avg", tag, file, errors) is { } v)
                    result[name] = tag == "benchmark_duration" ? v * (Factor(metric, tag, file, errors) ?? 1000) / 1000 : v;
            if (errors.Count > 0)
            {
                problem = string.Join("; ", errors);
                return false;
            }
            if (!result.ContainsKey("successful_requests"))
            {
                problem = $"{file}: no request_count metric; aiperf completed no request (see its output in the benchmark log)";
                return false;
            }
            result.TryAdd("failed_requests", 0);
            result["total_requests"] = result["successful_requests"] + result["failed_requests"];
            if (!result.ContainsKey("total_token_throughput") && result.TryGetValue("benchmark_duration_s", out var duration) && duration > 0
                && result.TryGetValue("total_input_tokens", out var input) && result.TryGetValue("total_generated_tokens", out var output))
                result["total_token_throughput"] = (input + output) / duration;
            if (root.TryGetProperty("was_cancelled", out var cancelled) && cancelled.ValueKind == JsonValueKind.True)
            {
                problem = $"{file}: was_cancelled is true; aiperf was interrupted before the concurrency finished";
                metrics = result;
                return false;
            }
            metrics = result;
            return true;
        }
    }

    /// <summary>Milliseconds per unit of a latency (or of benchmark_duration); null (with an error) for a unit it does not know.</summary>
    private static double? Factor(JsonElement metric, string tag, string file, List<string> errors)
    {
        if (metric.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{file}: metric '{tag}' is a JSON {metric.ValueKind.ToString().ToLowerInvariant()}, expected an object with unit and avg");
            return null;
        }
        var unit = metric.TryGetProperty("unit", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        double? factor = unit switch
        {
            "ms" => 1,
            "s" or "sec" or "seconds" => 1000,
            "us" => 1e-3,
            "ns" => 1e-6,
            _ => null,
        };
        if (factor is null) errors.Add($"{file}: metric '{tag}' has unit '{unit ?? "(none)"}'; expected ms, s/sec, us or ns");
        return factor;
    }

    private static double? Number(JsonElement metric, string stat, string tag, string file, List<string> errors)
    {
        if (metric.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{file}: metric '{tag}' is a JSON {metric.ValueKind.ToString().ToLowerInvariant()}, expected an object with unit and avg");
            return null;
        }
        if (!metric.TryGetProperty(stat, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d)) return d;
        errors.Add($"{file}: metric '{tag}'.{stat} is {value.GetRawText()}, expected a number");
        return null;
    }

    /// <summary>
    /// The file stops inside a value (cut off) rather than holding a wrong character: read as a first block of more to come,
    /// every byte is acceptable and the reader only runs out of data.
    /// </summary>
    private static bool EndsEarly(string text)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text), isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            return false;
        }
        return true;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}
