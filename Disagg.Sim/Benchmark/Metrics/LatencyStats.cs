namespace Disagg.Sim.Benchmark.Metrics;

/// <summary>
/// numpy-compatible statistics. Like the Python client (<c>np.mean(xs or 0)</c>), an empty list counts as <c>[0]</c>.
/// </summary>
internal static class LatencyStats
{
    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? 0 : values.Sum() / values.Count;

    /// <summary>Population standard deviation (<c>np.std</c>, ddof = 0).</summary>
    public static double Std(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var mean = Mean(values);
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }

    public static double Median(IReadOnlyList<double> values) => Percentile(values, 50);

    /// <summary><c>np.percentile</c> with the default linear interpolation: rank = p/100 × (n − 1).</summary>
    public static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var rank = percentile / 100.0 * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        var fraction = rank - lower;
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * fraction);
    }

    /// <summary>Mean, median, std and the requested percentiles, each multiplied by <paramref name="scale"/> (1000 for ms).</summary>
    public static MetricSummary Summarize(IReadOnlyList<double> values, IReadOnlyList<double> percentiles, double scale = 1000.0) => new(
        Mean(values) * scale,
        Median(values) * scale,
        Std(values) * scale,
        percentiles.Select(p => new PercentileValue(p, Percentile(values, p) * scale)).ToList());
}
