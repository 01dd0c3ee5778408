namespace Disagg.Harness.Results;

/// <summary>The parsed result block of one concurrency, with where it came from.</summary>
public sealed record ConcurrencyResult(
    int Concurrency,
    int? Prompts,
    IReadOnlyDictionary<string, double> Metrics,
    bool FailedBanner,
    int StartLine,
    int EndLine,
    bool DoneLineSeen)
{
    /// <summary>0 for the planned block; K for the K-th confirmation repeat of the same concurrency.</summary>
    public int SampleIndex { get; init; }

    public double? this[string metric] => Metrics.TryGetValue(metric, out var v) ? v : null;
}
