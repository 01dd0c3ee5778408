using System.Globalization;

namespace Disagg.Sim.Benchmark.Metrics;

/// <summary>One percentile of a metric; <see cref="Word"/> is how Python prints it (<c>99</c>, <c>99.9</c>).</summary>
internal sealed record PercentileValue(double Percentile, double Value)
{
    public string Word => Percentile == Math.Floor(Percentile)
        ? ((long)Percentile).ToString(CultureInfo.InvariantCulture)
        : Percentile.ToString("R", CultureInfo.InvariantCulture);
}
