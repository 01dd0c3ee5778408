using System.Globalization;

namespace Disagg.Sim.Benchmark.Metrics;

/// <summary>Mean / median / std / percentiles of one latency metric (milliseconds).</summary>
internal sealed record MetricSummary(double Mean, double Median, double Std, IReadOnlyList<PercentileValue> Percentiles)
{
    public static MetricSummary Zero(IReadOnlyList<double> percentiles) =>
        new(0, 0, 0, percentiles.Select(p => new PercentileValue(p, 0)).ToList());
}
