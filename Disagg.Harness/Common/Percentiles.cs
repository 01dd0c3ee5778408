namespace Disagg.Harness.Common;

/// <summary>Linear-interpolated percentiles, the same math for baselines and step-time summaries.</summary>
public static class Percentiles
{
    /// <summary>Linear-interpolated percentile (numpy's default): k = p/100 × (n−1) over the sorted values.</summary>
    public static double Of(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var sorted = values.Order().ToList();
        var k = p / 100 * (sorted.Count - 1);
        var lower = (int)Math.Floor(k);
        var upper = (int)Math.Ceiling(k);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (k - lower);
    }
}
