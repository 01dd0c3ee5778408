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
    public double? this[string metric] => Metrics.TryGetValue(metric, out var v) ? v : null;
}
