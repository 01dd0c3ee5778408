using System.Globalization;

namespace Disagg.Sim.Benchmark.Metrics;

/// <summary>One percentile of a metric; <see cref="Word"/> is how Python prints it (<c>99</c>, <c>99.9</c>).</summary>
internal sealed record PercentileValue(double Percentile, double Value)
{
    public string Word => Percentile == Math.Floor(Percentile)
        ? ((long)Percentile).ToString(CultureInfo.InvariantCulture)
        : Percentile.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Mean / median / std / percentiles of one latency metric (milliseconds).</summary>
internal sealed record MetricSummary(double Mean, double Median, double Std, IReadOnlyList<PercentileValue> Percentiles)
{
    public static MetricSummary Zero(IReadOnlyList<double> percentiles) =>
        new(0, 0, 0, percentiles.Select(p => new PercentileValue(p, 0)).ToList());
}
