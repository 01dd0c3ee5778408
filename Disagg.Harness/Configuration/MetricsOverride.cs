namespace Disagg.Harness.Configuration;

/// <summary>
/// <c>metadata.metrics</c> / <c>metadata.accuracy.metrics</c>: a partial override of the metric parse
/// settings of the config's (test_type, category) pair. A null field keeps the pair's default.
/// </summary>
public sealed record MetricsOverride(string? LogFile, string? ExtractorPattern, IReadOnlyList<string>? MetricNames)
{
    public static readonly MetricsOverride None = new(null, null, null);

    public bool IsEmpty => LogFile is null && ExtractorPattern is null && MetricNames is null;
}
