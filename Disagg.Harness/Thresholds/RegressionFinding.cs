using System.Globalization;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// The regression verdict of one gating metric at one concurrency. <see cref="DiffPercent"/> is positive
/// when the run is better than the baseline, for maximize and minimize metrics alike.
/// </summary>
public sealed record RegressionFinding(
    string Metric,
    int Concurrency,
    double? Value,
    double? Baseline,
    double Tolerance,
    double? DiffPercent,
    bool Regressed,
    FindingSeverity Severity,
    string Note)
{
    /// <summary>The bound the value had to respect: baseline × (1 − tol) for maximize, × (1 + tol) for minimize.</summary>
    public double? Limit => Baseline is { } b && MetricCatalog.ByName(Metric) is { } info
        ? info.Direction == Direction.Minimize ? b * (1 + Tolerance) : b * (1 - Tolerance)
        : null;

    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        var head = $"{Metric} at concurrency {Concurrency}";
        if (Value is not { } v || Baseline is not { } b) return $"{head}: {Note}";
        var op = MetricCatalog.ByName(Metric)?.Direction == Direction.Minimize ? "<=" : ">=";
        return string.Create(inv, $"{head}: value={v:0.####} baseline={b:0.####} tolerance={Tolerance * 100:0.##}% "
                   + $"(needs {op} {Limit:0.####}) diff={DiffPercent:+0.00;-0.00;0.00}%")
               + (Note.Length > 0 ? "; " + Note : "");
    }
}
