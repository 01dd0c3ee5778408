using Disagg.Harness.Configuration;
using System.Text.Json.Nodes;

namespace Disagg.Harness.Publishing;

/// <summary>One concurrency: its metrics by catalog name and the OpenSearch document, so both stores stay comparable.</summary>
public sealed record PerfDbConcurrency(int Concurrency, int? Prompts, IReadOnlyDictionary<string, double> Metrics, string DocumentJson)
{
    /// <summary>Output tokens/s per GPU (<see cref="PerGpuThroughput"/>), stored in <c>perf_results.output_tps_per_gpu</c>.</summary>
    public double? OutputTpsPerGpu { get; init; }

    /// <summary>The GPUs <see cref="OutputTpsPerGpu"/> divides by (<c>perf_results.throughput_gpus</c>).</summary>
    public int? ThroughputGpus { get; init; }

    /// <summary>
    /// Confirmation repeats (sample 1, 2, ...) by catalog name; rows of <c>perf_samples</c> (migration 2). Sample 0 is <see cref="Metrics"/>.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Samples { get; init; } = [];
}
