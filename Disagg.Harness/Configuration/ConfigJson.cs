using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>The resolved config as JSON (for the Perf DB's JSONB column): typed sections plus the verbatim worker trees.</summary>
public static class ConfigJson
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static JsonObject From(DisaggConfig config) => new()
    {
        ["source_file"] = config.SourceFile,
        ["metadata"] = JsonSerializer.SerializeToNode(config.Metadata, Options),
        ["slurm"] = JsonSerializer.SerializeToNode(config.Slurm, Options),
        ["benchmark"] = JsonSerializer.SerializeToNode(config.Benchmark, Options),
        ["hardware"] = JsonSerializer.SerializeToNode(config.Hardware, Options),
        ["environment"] = JsonSerializer.SerializeToNode(config.Environment, Options),
        ["worker_config"] = new JsonObject { ["ctx"] = Yaml(config.Ctx.Node), ["gen"] = Yaml(config.Gen.Node) },
        ["thresholds"] = new JsonArray([.. config.Thresholds.Select(t => (JsonNode)JsonValue.Create(t.ToString()))]),
    };

    /// <summary>YAML to JSON, reading plain scalars as YAML 1.2 core types (null, bool, int, float) and everything else as strings.</summary>
    public static JsonNode? Yaml(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Yaml(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Yaml)]),
        YamlScalarNode s when s.Style != YamlDotNet.Core.ScalarStyle.Plain => JsonValue.Create(s.Value ?? ""),
        YamlScalarNode s => Plain(s.Value),
        _ => null,
    };

    private static JsonNode? Plain(string? v)
    {
        if (v is null or "" or "~" or "null" or "Null" or "NULL") return null;
        if (v is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (v is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return JsonValue.Create(d);
        return JsonValue.Create(v);
    }
}
