using System.Text.Json;

namespace Disagg.Harness.Publishing;

/// <summary>
/// The field-type check of TensorRT-LLM's OpenSearch client, applied to the exact JSON that would be sent:
/// every key needs a known prefix whose JSON type matches its value. One bad key rejects the batch.
/// </summary>
public static class DocumentTypeCheck
{
    public static readonly IReadOnlySet<string> BareKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "@timestamp", "_id", "_index", "_score", "_type", "_project", "_shard", "_version",
    };

    /// <summary>Every violation in the batch as "document N (_id X): field 'k' ...", empty when the batch may be sent.</summary>
    public static IReadOnlyList<string> Check(string batchJson)
    {
        using var json = JsonDocument.Parse(batchJson);
        var docs = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.EnumerateArray().ToList() : [json.RootElement];
        var problems = new List<string>();
        for (var i = 0; i < docs.Count; i++)
        {
            var doc = docs[i];
            if (doc.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"document {i}: expected a JSON object, got {doc.ValueKind}");
                continue;
            }
            var id = doc.TryGetProperty("_id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : "?";
            foreach (var property in doc.EnumerateObject())
                if (Violation(property.Name, property.Value) is { } why)
                    problems.Add($"document {i} (_id {id}): field '{property.Name}' {why}");
        }
        return problems;
    }

    /// <summary>Why the value does not fit the key's prefix, or null when it does.</summary>
    public static string? Violation(string key, JsonElement value)
    {
        if (BareKeys.Contains(key)) return null;
        var prefix = key.IndexOf('_', StringComparison.Ordinal) is > 0 and var at ? key[..(at + 1)] : "";
        bool ok;
        string expected;
        switch (prefix)
        {
            case "l_": ok = IsInteger(value); expected = "an integer (l_ = long)"; break;
            case "d_": ok = IsFloat(value); expected = "a floating-point number with a decimal point, never null or an integer (d_ = double)"; break;
            case "s_": ok = value.ValueKind == JsonValueKind.String; expected = "a string (s_)"; break;
            case "b_": ok = value.ValueKind is JsonValueKind.True or JsonValueKind.False; expected = "true or false (b_)"; break;
            case "ts_": ok = IsInteger(value); expected = "an integer epoch in milliseconds (ts_)"; break;
            case "flat_": ok = value.ValueKind == JsonValueKind.Object; expected = "an object (flat_)"; break;
            case "ni_": ok = value.ValueKind is JsonValueKind.String or JsonValueKind.Number; expected = "a string or number (ni_)"; break;
            default: return "has an unknown key type: use a prefix l_, d_, s_, b_, ts_, flat_ or ni_ (Unknown key type!)";
        }
        return ok ? null : $"must be {expected}, got {Describe(value)}";
    }

    private static bool IsInteger(JsonElement v) => v.ValueKind == JsonValueKind.Number && v.GetRawText().AsSpan().IndexOfAny(".eE") < 0;

    private static bool IsFloat(JsonElement v) => v.ValueKind == JsonValueKind.Number && v.GetRawText().AsSpan().IndexOfAny(".eE") >= 0;

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => $"{v.ValueKind.ToString().ToLowerInvariant()} {Truncate(v.GetRawText())}",
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
