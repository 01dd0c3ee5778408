using Disagg.Harness.Configuration;
using System.Text.Json.Nodes;

namespace Disagg.Harness.Publishing;

/// <summary>One concurrency: its metrics by catalog name and the OpenSearch document, so both stores stay comparable.</summary>
public sealed record PerfDbConcurrency(int Concurrency, int? Prompts, IReadOnlyDictionary<string, double> Metrics, string DocumentJson)
{
    /// <summary>
    /// Confirmation repeats (sample 1, 2, ...) by catalog name; rows of <c>perf_samples</c> (migration 2). Sample 0 is <see cref="Metrics"/>.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Samples { get; init; } = [];
}
