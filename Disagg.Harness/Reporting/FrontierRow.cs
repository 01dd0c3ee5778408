namespace Disagg.Harness.Reporting;

/// <summary>Both frontiers at one matched per-user throughput, and B's change against A in percent.</summary>
public sealed record FrontierRow(double UserTps, double A, double B)
{
    public double DeltaPct => A == 0 ? double.NaN : (B - A) / A * 100;
}
