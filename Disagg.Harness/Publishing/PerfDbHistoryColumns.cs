using System.Text.Json.Nodes;

namespace Disagg.Harness.Publishing;

/// <summary>
/// The per-test columns migration 4 adds to <c>perf_tests</c> so trend, Pareto and compare filter and label without
/// parsing JSON: model, ISL/OSL, category (the config's folder), container image, commit, cluster and the instant the
/// test ran (<c>run_at</c>: the job's end, else its start, else the upload). Pure: built from the record.
/// </summary>
public sealed record PerfDbHistoryColumns(string Model, int Isl, int Osl, string Category, string Image, string Commit, string Cluster)
{
    /// <summary>Names the cluster a run used (else the cluster profile's file name, e.g. <c>local</c>).</summary>
    public const string ClusterVariable = "DISAGG_CLUSTER_NAME";

    public static PerfDbHistoryColumns From(PublishRecord record)
    {
        var config = JsonNode.Parse(record.ResolvedConfigJson) as JsonObject;
        string Text(params string[] path)
        {
            JsonNode? node = config;
            foreach (var key in path) node = node is JsonObject o ? o[key] : null;
            return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        }
        var source = Text("source_file");
        var category = source.Length > 0 ? Path.GetFileName(Path.GetDirectoryName(source)) ?? "" : "";
        return new PerfDbHistoryColumns(Text("metadata", "model_name"), record.Client.Isl, record.Client.Osl, category,
            Text("environment", "container_image"), CommitOf(record.Environment),
            record.Cluster.Length > 0 ? record.Cluster : ClusterOf(record.Environment));
    }

    /// <summary>The CI's commit (<see cref="CiContext"/>), else <see cref="CommitVariable"/> (run_disagg_test.sh sets it from git).</summary>
    public static string CommitOf(IReadOnlyDictionary<string, string> env) =>
        CiContext.From(env).Commit is { Length: > 0 } commit ? commit : env.GetValueOrDefault(CommitVariable) ?? "";

    /// <summary>The commit a local run was started from, when no CI variable names one.</summary>
    public const string CommitVariable = "DISAGG_GIT_COMMIT";

    public static string ClusterOf(IReadOnlyDictionary<string, string> env) =>
        env.GetValueOrDefault(ClusterVariable) is { Length: > 0 } name ? name
        : env.GetValueOrDefault("DISAGG_CLUSTER_PROFILE") is { Length: > 0 } profile ? Path.GetFileNameWithoutExtension(profile)
        : "";
}
