namespace Disagg.Harness.Reporting;

public sealed record ConcurrencyResult(int Concurrency, int? Prompts, IReadOnlyDictionary<string, double> Metrics)
{
    public double? this[string metric] => Metrics.TryGetValue(metric, out var v) ? v : null;
}
