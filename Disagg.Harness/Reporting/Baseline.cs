namespace Disagg.Harness.Reporting;

/// <summary>A reference value for a metric: one for every concurrency, or one per concurrency.</summary>
public sealed record Baseline(double? All, IReadOnlyDictionary<int, double> ByConcurrency)
{
    public double? At(int concurrency) => ByConcurrency.TryGetValue(concurrency, out var v) ? v : All;
}
