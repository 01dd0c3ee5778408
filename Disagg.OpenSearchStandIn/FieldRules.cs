using System.Text.Json;

namespace Disagg.OpenSearchStandIn;

/// <summary>The ingestion service's field-type rules, written independently of the harness's client check.</summary>
public static class FieldRules
{
    private static readonly HashSet<string> Bare = ["@timestamp", "_id", "_index", "_score", "_type", "_project", "_shard", "_version"];

    public static string? Violation(string key, JsonElement value)
    {
        if (Bare.Contains(key)) return null;
        var raw = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : "";
        var isInt = value.ValueKind == JsonValueKind.Number && !raw.Contains('.') && !raw.Contains('e') && !raw.Contains('E');
        var isFloat = value.ValueKind == JsonValueKind.Number && !isInt;
        bool ok;
        if (key.StartsWith("l_", StringComparison.Ordinal)) ok = isInt;
        else if (key.StartsWith("d_", StringComparison.Ordinal)) ok = isFloat;
        else if (key.StartsWith("s_", StringComparison.Ordinal)) ok = value.ValueKind == JsonValueKind.String;
        else if (key.StartsWith("b_", StringComparison.Ordinal)) ok = value.ValueKind is JsonValueKind.True or JsonValueKind.False;
        else if (key.StartsWith("ts_", StringComparison.Ordinal)) ok = isInt;
        else if (key.StartsWith("flat_", StringComparison.Ordinal)) ok = value.ValueKind == JsonValueKind.Object;
        else if (key.StartsWith("ni_", StringComparison.Ordinal)) ok = value.ValueKind is JsonValueKind.String or JsonValueKind.Number;
        else return $"Unknown key type! '{key}'";
        return ok ? null : $"field '{key}' has the wrong type for its prefix: {value.ValueKind} {value.GetRawText()}";
    }
}
