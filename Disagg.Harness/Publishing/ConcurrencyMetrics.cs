namespace Disagg.Harness.Publishing;

/// <summary>The parsed metrics of one concurrency, keyed by <see cref="Configuration.MetricCatalog"/> name.</summary>
public sealed record ConcurrencyMetrics(int Concurrency, int? Prompts, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>Confirmation repeats of this concurrency, sample 1, 2, ... in order (<see cref="Metrics"/> is sample 0).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Samples { get; init; } = [];
}
