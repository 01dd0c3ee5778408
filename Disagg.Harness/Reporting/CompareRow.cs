using Disagg.Harness.Configuration;

namespace Disagg.Harness.Reporting;

/// <summary>
/// One test, metric and concurrency of two runs: both values, B's change in percent, the history's noise (relative sigma,
/// percent; null without enough history) and how many sigmas the change is, signed so that positive is worse.
/// </summary>
public sealed record CompareRow(string TestId, string Metric, int Concurrency, Direction Direction, double A, double B, double? NoisePct)
{
    public double DeltaPct => A == 0 ? (B == 0 ? 0 : double.PositiveInfinity) : (B - A) / Math.Abs(A) * 100;

    /// <summary>The change in the metric's bad direction, percent (positive: worse).</summary>
    public double WorsePct => Direction switch
    {
        Direction.Maximize => -DeltaPct,
        Direction.Minimize => DeltaPct,
        _ => 0,
    };

    /// <summary>The change in sigmas of the history's noise (at least the 1 % floor), positive when worse.</summary>
    public double WorseSigmas => WorsePct / Math.Max(NoisePct ?? 0, NoiseBand.MinRelativeSigma * 100);

    public Significance Significance => NoisePct is null ? Significance.Unknown
        : Math.Abs(WorseSigmas) >= 3 ? Significance.Significant
        : Math.Abs(WorseSigmas) >= 2 ? Significance.Likely
        : Significance.Noise;

    public bool Worse => WorsePct > 0;
}
