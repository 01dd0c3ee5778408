namespace Disagg.Harness.Publishing;

/// <summary>The parsed metrics of one concurrency, keyed by <see cref="Configuration.MetricCatalog"/> name.</summary>
public sealed record ConcurrencyMetrics(int Concurrency, int? Prompts, IReadOnlyDictionary<string, double> Metrics);
