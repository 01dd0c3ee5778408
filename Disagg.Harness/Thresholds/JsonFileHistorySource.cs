using System.Globalization;
using System.Text.Json;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// History from a JSON export, so the regression rule runs on a laptop; also the reader of OpenSearch hits. Accepts a
/// top-level array of records, or an OpenSearch response (<c>hits.hits[]._source</c>). A record is either a perf_sanity
/// document (<c>ts_created</c>/<c>@timestamp</c>, <c>s_test_case_name</c>, <c>s_gpu_type</c>, <c>s_runtime</c>,
/// <c>s_branch</c>, <c>b_is_post_merge</c>, <c>b_is_valid</c>, <c>b_is_baseline</c>, <c>d_*</c> metrics mapped through the
/// catalog, <c>d_baseline_*</c>/<c>d_threshold_*</c> pins) or Disagg's own shape
/// <c>{"timestamp", "test_case_name", "gpu_type", "runtime", "branch", "post_merge", "metrics": {catalog name: value}}</c>.
/// Invalid or baseline documents are dropped; timestamps are epoch ms/s or ISO 8601; a numeric string counts as a number.
/// </summary>
public sealed class JsonFileHistorySource(string path) : IHistorySource
{
    public async Task<IReadOnlyList<HistoryRecord>> GetAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"cannot read history export {path}: {e.Message}", e);
        }
        return Read(text, path).Where(query.Wants).ToList();
    }

    /// <summary>Parses an export; a malformed file throws naming the file and the record index.</summary>
    public static IReadOnlyList<HistoryRecord> Read(string json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(JsonNonFinite.ToNull(json));
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"history export {file} is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var items = document.RootElement.ValueKind switch
            {
                JsonValueKind.Array => document.RootElement.EnumerateArray().ToList(),
                JsonValueKind.Object when document.RootElement.TryGetProperty("hits", out var hits) && hits.TryGetProperty("hits", out var inner) =>
                    inner.EnumerateArray().Select(h => h.TryGetProperty("_source", out var s) ? s : h).ToList(),
                _ => throw new InvalidOperationException($"history export {file}: expected an array of records or an OpenSearch response with hits.hits"),
            };
            var records = new List<HistoryRecord>();
            for (var i = 0; i < items.Count; i++)
            {
                if (FromElement(items[i], file, i) is { } record) records.Add(record);
            }
            return records;
        }
    }

    private static HistoryRecord? FromElement(JsonElement e, string file, int index)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new InvalidOperationException($"history export {file}: record [{index}] is not an object");
        if (Bool(e, "b_is_valid") == false || Bool(e, "b_is_baseline") == true) return null;
        // A failed test's documents (infrastructure, product or configuration failure) never enter a history window.
        if (String(e, "s_failure_class") is { Length: > 0 }) return null;
        var timestamp = Timestamp(e, "timestamp") ?? Timestamp(e, "ts_created") ?? Timestamp(e, "@timestamp")
            ?? throw new InvalidOperationException($"history export {file}: record [{index}] has no readable timestamp (timestamp, ts_created or @timestamp)");
        var key = new CaseKey(
            String(e, "s_test_case_name") ?? String(e, "test_case_name") ?? String(e, "test"),
            String(e, "s_gpu_type") ?? String(e, "gpu_type"),
            String(e, "s_runtime") ?? String(e, "runtime"),
            String(e, "s_branch") ?? String(e, "branch"))
        {
            Cluster = (String(e, "s_cluster") ?? String(e, "cluster")) is { Length: > 0 } cluster ? cluster : null,
        };
        var postMerge = Bool(e, "post_merge") ?? Bool(e, "b_is_post_merge") ?? true;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var pinned = new Dictionary<string, double>(StringComparer.Ordinal);
        var hasBaselineFields = false;
        if (e.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in m.EnumerateObject())
                if (Number(p.Value) is { } v && HistoryMetricNames.ToCatalogName(p.Name) is { } name) metrics[name] = v;
        }
        foreach (var p in e.EnumerateObject())
        {
            if (!p.Name.StartsWith("d_", StringComparison.Ordinal)) continue;
            if (p.Name.StartsWith("d_baseline_", StringComparison.Ordinal)) hasBaselineFields = true;
            if (Number(p.Value) is not { } v) continue;
            if (p.Name.StartsWith("d_baseline_", StringComparison.Ordinal) || p.Name.StartsWith("d_threshold_", StringComparison.Ordinal)) pinned[p.Name] = v;
            else if (HistoryMetricNames.ToCatalogName(p.Name) is { } name) metrics[name] = v;
        }
        return new HistoryRecord(timestamp, key, metrics, postMerge) { Pinned = pinned, HasBaselineFields = hasBaselineFields };
    }

    private static bool? Bool(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) ? v.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null } : null;

    private static string? String(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A finite number, or a string holding one: history arrives untrusted, and a numeric string is still a number.</summary>
    private static double? Number(JsonElement v)
    {
        var d = v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => double.NaN,
        };
        return double.IsFinite(d) ? d : null;
    }

    private static DateTimeOffset? Timestamp(JsonElement e, string key)
    {
        if (!e.TryGetProperty(key, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number)
        {
            var n = v.GetDouble();
            return n > 1e11 ? DateTimeOffset.FromUnixTimeMilliseconds((long)n) : DateTimeOffset.FromUnixTimeMilliseconds((long)(n * 1000));
        }
        if (v.ValueKind != JsonValueKind.String) return null;
        var s = v.GetString() ?? "";
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var iso))
            return iso;
        return DateTimeOffset.TryParseExact(s, "MMM dd, yyyy @ HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var kibana)
            ? kibana
            : null;
    }
}
