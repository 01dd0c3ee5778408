namespace Disagg.Sim.Benchmark.Metrics;

/// <summary>Everything the result block and result.json report about one run.</summary>
internal sealed record BenchmarkMetrics
{
    public required int TotalRequests { get; init; }

    public required int Completed { get; init; }

    public int Failed => TotalRequests - Completed;

    public required double DurationSeconds { get; init; }

    public required int TotalInput { get; init; }

    public required int TotalOutput { get; init; }

    public required double RequestThroughput { get; init; }

    public required double OutputThroughput { get; init; }

    public required double TotalTokenThroughput { get; init; }

    public required double UserThroughput { get; init; }

    public required MetricSummary Ttft { get; init; }

    public required MetricSummary Tpot { get; init; }

    public required MetricSummary Itl { get; init; }

    public required MetricSummary E2el { get; init; }

    /// <summary>Exception type → count, in first-seen order (printed as <c>Error type: ...</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, int>> ErrorCounts { get; init; } = [];

    public MetricSummary Get(string metric) => metric switch
    {
        "ttft" => Ttft,
        "tpot" => Tpot,
        "itl" => Itl,
        "e2el" => E2el,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "expected ttft, tpot, itl or e2el"),
    };
}
