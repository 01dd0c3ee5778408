using System.Globalization;
using System.Text.Json;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// History from a JSON export, so the regression rule runs on a laptop. Accepts a top-level array of
/// records, or an OpenSearch response (<c>hits.hits[]._source</c>). A record is either Disagg's own shape
/// <c>{"timestamp", "test", "concurrency", "post_merge", "metrics": {catalog name: value}}</c> or a
/// perf_sanity document (<c>ts_created</c>/<c>@timestamp</c>, <c>s_test_case_name</c>, <c>l_concurrency</c>,
/// <c>b_is_post_merge</c>, <c>b_is_valid</c>, <c>s_disagg_test_id</c> (Disagg's own documents: preferred over the per-concurrency <c>s_test_case_name</c>), <c>b_is_baseline</c>, <c>d_*</c> fields mapped through the catalog).
/// Invalid or baseline documents are dropped; timestamps are epoch ms/s or ISO 8601.
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
        var records = Read(text, path);
        return records.Where(r => r.IsPostMerge && r.Test.TestCase == query.TestCase && r.Timestamp >= query.Since).ToList();
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
        var timestamp = Timestamp(e, "timestamp") ?? Timestamp(e, "ts_created") ?? Timestamp(e, "@timestamp")
            ?? throw new InvalidOperationException($"history export {file}: record [{index}] has no readable timestamp (timestamp, ts_created or @timestamp)");
        var test = String(e, "test") ?? String(e, "s_disagg_test_id") ?? String(e, "s_test_case_name")
            ?? throw new InvalidOperationException($"history export {file}: record [{index}] has no test name (test, s_disagg_test_id or s_test_case_name)");
        var concurrency = (int?)(Number(e, "concurrency") ?? Number(e, "l_concurrency"))
            ?? throw new InvalidOperationException($"history export {file}: record [{index}] has no concurrency (concurrency or l_concurrency)");
        var postMerge = Bool(e, "post_merge") ?? Bool(e, "b_is_post_merge") ?? true;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (e.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in m.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.Number && HistoryMetricNames.ToCatalogName(p.Name) is { } name) metrics[name] = p.Value.GetDouble();
        }
        foreach (var p in e.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.Number && p.Name.StartsWith("d_", StringComparison.Ordinal) && HistoryMetricNames.ToCatalogName(p.Name) is { } name)
                metrics[name] = p.Value.GetDouble();
        return new HistoryRecord(timestamp, new TestIdentity(test, concurrency), metrics, postMerge);
    }

    private static bool? Bool(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) ? v.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null } : null;

    private static string? String(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

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
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var iso)) return iso;
        return DateTimeOffset.TryParseExact(s, "MMM dd, yyyy @ HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var kibana) ? kibana : null;
    }
}
