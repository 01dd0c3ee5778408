using System.Globalization;
using System.Text.Json;
using Disagg.Sim.Common;

namespace Disagg.Sim.Benchmark.Aiperf;

/// <summary>
/// A mooncake_trace JSONL dataset, aiperf's <c>--custom-dataset-type mooncake_trace</c>: one object per line with
/// <c>input_length</c> and <c>output_length</c> (tokens), optional <c>hash_ids</c> (512-token prefix blocks) and
/// <c>timestamp</c> (ms). A bad line is a <see cref="ConfigException"/> naming file:line.
/// </summary>
internal static class MooncakeTrace
{
    public static IReadOnlyList<MooncakeEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"{path}: input file not found (--input-file); write one with 'Disagg.Sim.dll gen-dataset --format mooncake_trace'");
        }

        var entries = new List<MooncakeEntry>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            entries.Add(Parse(line, path, lineNo));
        }

        return entries.Count > 0 ? entries : throw new ConfigException($"{path}: the mooncake_trace dataset has no entries");
    }

    private static MooncakeEntry Parse(string line, string path, int lineNo)
    {
        string Where() => $"{path}:{lineNo.ToString(CultureInfo.InvariantCulture)}";
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigException($"{Where()}: expected a JSON object with input_length and output_length");
            }

            var input = Positive(root, "input_length", Where) ?? throw new ConfigException($"{Where()}: input_length is missing");
            var output = Positive(root, "output_length", Where) ?? throw new ConfigException($"{Where()}: output_length is missing");
            var hashes = root.TryGetProperty("hash_ids", out var h) && h.ValueKind == JsonValueKind.Array
                ? h.EnumerateArray().Select(x => x.TryGetInt64(out var v) ? v : throw new ConfigException($"{Where()}: hash_ids must be integers")).ToList()
                : [];
            double? timestamp = root.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : null;
            return new MooncakeEntry(input, output, hashes, timestamp);
        }
        catch (JsonException e)
        {
            throw new ConfigException($"{Where()}: not valid JSON ({e.Message.Split(". ")[0]})");
        }
    }

    private static int? Positive(JsonElement root, string name, Func<string> where)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 1
            ? n
            : throw new ConfigException($"{where()}: {name} must be an integer >= 1, got {value.GetRawText()}");
    }
}
