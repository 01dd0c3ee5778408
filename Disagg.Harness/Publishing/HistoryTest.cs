namespace Disagg.Harness.Publishing;

/// <summary>
/// One test of one run as the Perf DB holds it (a <c>perf_tests</c> row with migration 4's history columns): what trend,
/// Pareto and compare label points with and filter on. <see cref="ConfigJson"/> is loaded only where the config keys
/// are compared (one run), else empty.
/// </summary>
public sealed record HistoryTest(
    string RunId,
    string TestId,
    DateTimeOffset At,
    bool Passed,
    IReadOnlyList<string> Problems,
    string? JobState,
    string? Nodes,
    string Commit,
    string Image,
    string GpuType,
    string Model,
    int? Isl,
    int? Osl,
    string Category,
    string Cluster,
    string BenchmarkMode)
{
    public string ConfigJson { get; init; } = "";

    /// <summary><c>perf_tests.failure_class</c> (migration 3): infrastructure, product or configuration; empty for a pass or an older row.</summary>
    public string FailureClass { get; init; } = "";

    /// <summary>The config family of the Pareto view: same model, ISL/OSL and GPU type.</summary>
    public string Family => $"{Model} {Isl}/{Osl} {GpuType}";
}
