namespace Disagg.Harness.Publishing;

/// <summary>
/// What <c>disagg trend</c> and <c>disagg pareto</c> select: a test id (exact) or all tests, narrowed by model, GPU type,
/// cluster and category (each exact, case-insensitive for the GPU type). Values are bound as SQL parameters, never spliced.
/// </summary>
public sealed record HistoryFilter(string? TestId = null, string? Model = null, string? GpuType = null, string? Cluster = null,
    string? Category = null)
{
    /// <summary>"model=x, gpu=y" for titles; "all tests" when nothing is set.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (TestId is not null) parts.Add($"test={TestId}");
        if (Model is not null) parts.Add($"model={Model}");
        if (GpuType is not null) parts.Add($"gpu={GpuType}");
        if (Cluster is not null) parts.Add($"cluster={Cluster}");
        if (Category is not null) parts.Add($"category={Category}");
        return parts.Count == 0 ? "all tests" : string.Join(", ", parts);
    }
}
