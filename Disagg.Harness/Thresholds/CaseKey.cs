namespace Disagg.Harness.Thresholds;

/// <summary>
/// Which history belongs to a test case: the four fields OpenSearch history is matched on (test case name, GPU type,
/// runtime, branch). A null field was absent from the stored document. Two keys match when every field is equal, where
/// absent and empty count as equal, so a document written without a branch matches a run whose branch is unknown.
/// <see cref="Cluster"/> (the cluster profile's name, <c>s_cluster</c>) keeps clusters apart: a record of another cluster
/// never matches; a record without one (written before clusters were recorded, or by perf-sanity) matches any cluster.
/// It is not a query field: OpenSearch would drop the documents that lack it.
/// </summary>
public sealed record CaseKey(string? TestCaseName, string? GpuType, string? Runtime, string? Branch)
{
    /// <summary>The document fields of the key, in the order the history query filters on them.</summary>
    public static readonly IReadOnlyList<string> Fields = ["s_test_case_name", "s_gpu_type", "s_runtime", "s_branch"];

    /// <summary>The value of one of <see cref="Fields"/>.</summary>
    public string? this[string field] => field switch
    {
        "s_test_case_name" => TestCaseName,
        "s_gpu_type" => GpuType,
        "s_runtime" => Runtime,
        "s_branch" => Branch,
        _ => throw new ArgumentException($"'{field}' is not a case key field", nameof(field)),
    };

    /// <summary>The cluster profile's name; null when unknown (a record written without <c>s_cluster</c>).</summary>
    public string? Cluster { get; init; }

    public bool Matches(CaseKey other) =>
        Same(TestCaseName, other.TestCaseName) && Same(GpuType, other.GpuType) && Same(Runtime, other.Runtime) && Same(Branch, other.Branch)
        && (string.IsNullOrEmpty(Cluster) || string.IsNullOrEmpty(other.Cluster) || string.Equals(Cluster, other.Cluster, StringComparison.Ordinal));

    private static bool Same(string? a, string? b) => string.IsNullOrEmpty(a) ? string.IsNullOrEmpty(b) : string.Equals(a, b, StringComparison.Ordinal);

    public override string ToString() =>
        $"{TestCaseName} ({GpuType}, {Runtime}, branch '{Branch}'{(string.IsNullOrEmpty(Cluster) ? "" : $", cluster '{Cluster}'")})";
}
