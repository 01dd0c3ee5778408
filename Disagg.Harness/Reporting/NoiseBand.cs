namespace Disagg.Harness.Reporting;

/// <summary>
/// The noise of a metric's history: the median and the relative median absolute deviation, scaled by 1.4826 so it
/// estimates a relative standard deviation on normal data and ignores outliers (one slow run does not widen the band).
/// A floor (<see cref="MinRelativeSigma"/>) keeps a perfectly flat history from flagging every tiny wobble.
/// </summary>
public sealed record NoiseBand(double Median, double RelativeSigma, int Count)
{
    /// <summary>At least this many values make a band; fewer give none.</summary>
    public const int MinCount = 3;

    /// <summary>The smallest relative sigma a band uses (1 %).</summary>
    public const double MinRelativeSigma = 0.01;

    /// <summary>The band of <paramref name="values"/>, or null with fewer than <see cref="MinCount"/> or a zero median.</summary>
    public static NoiseBand? Of(IEnumerable<double> values)
    {
        var list = values.Where(double.IsFinite).ToList();
        if (list.Count < MinCount) return null;
        var median = MedianOf(list);
        if (Math.Abs(median) < 1e-12) return null;
        var mad = MedianOf([.. list.Select(v => Math.Abs(v - median))]);
        return new NoiseBand(median, Math.Max(MinRelativeSigma, 1.4826 * mad / Math.Abs(median)), list.Count);
    }

    /// <summary>The value <paramref name="k"/> sigmas below / above the median.</summary>
    public double Low(double k) => Median * (1 - k * RelativeSigma);

    public double High(double k) => Median * (1 + k * RelativeSigma);

    /// <summary>How many sigmas <paramref name="value"/> lies from the median (signed: above is positive).</summary>
    public double Sigmas(double value) => (value - Median) / (Math.Abs(Median) * RelativeSigma);

    public static double MedianOf(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
