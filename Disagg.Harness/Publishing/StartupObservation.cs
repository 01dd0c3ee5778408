using System.Text.Json;
using System.Text.Json.Nodes;

namespace Disagg.Harness.Publishing;

/// <summary>
/// What one server reported about its start (its <c>/server_info</c> startup metrics, in seconds, and the checkpoint
/// I/O policies its log announced), or why that could not be read (<see cref="Error"/>). <see cref="Read"/> takes the
/// JSON list a job writes to <see cref="FileName"/> in its folder: <c>[{"role": "ctx"|"gen", "server_name", "metrics":
/// {name: seconds}, "checkpoint_io_policies": [{"requested", "selected", "activated", "effective"}], "error"}]</c>.
/// </summary>
public sealed record StartupObservation(
    string Role,
    string ServerName,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<CheckpointIoPolicy> Policies,
    string? Error)
{
    public const string FileName = "startup_metrics.0.json";

    /// <summary>The observations in a job folder; none when the job captured none or the file is not a list.</summary>
    public static IReadOnlyList<StartupObservation> ReadFolder(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return [];
        try
        {
            return Read(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public static IReadOnlyList<StartupObservation> Read(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return [];
        }
        if (root is not JsonArray list) return [];
        var result = new List<StartupObservation>();
        foreach (var item in list.OfType<JsonObject>())
        {
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            if (item["metrics"] is JsonObject m)
                foreach (var (name, value) in m)
                    if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() is var d && double.IsFinite(d))
                        metrics[name] = d;
            var policies = (item["checkpoint_io_policies"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(p => new CheckpointIoPolicy(Str(p["requested"]), Str(p["selected"]), Flag(p["activated"]), Str(p["effective"])))
                .ToList();
            var error = Str(item["error"]);
            result.Add(new StartupObservation(Str(item["role"]), Str(item["server_name"]), metrics, policies, error.Length > 0 ? error : null));
        }
        return result;
    }

    private static bool? Flag(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    private static string Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
}
