using System.Globalization;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// The noise-aware verdict of one metric at one concurrency. <see cref="ChangePercent"/> is the signed change of the mean of the
/// samples against the baseline (+ = larger value), <see cref="Low"/>/<see cref="High"/> its interval (± z₁₋α·se);
/// <see cref="WorsePercent"/> is the change in the "worse" direction.
/// </summary>
public sealed record NoiseDecision(
    string Metric,
    int Concurrency,
    NoiseOutcome Outcome,
    double Baseline,
    IReadOnlyList<double> Samples,
    double ChangePercent,
    double Low,
    double High,
    double HistoryNoisePercent,
    int HistoryRuns,
    double TolerancePercent,
    Direction Direction)
{
    public double Mean => Samples.Average();

    public double WorsePercent => Direction == Direction.Minimize ? ChangePercent : -ChangePercent;

    /// <summary>
    /// E.g. <c>median_tpot_ms c=64: +7.9 % [+6.1, +9.7] over baseline 41.2 ms (3 samples, history noise 1.3 %, n=28) &gt; 5 % → regression</c>.
    /// </summary>
    public string Message
    {
        get
        {
            var inv = CultureInfo.InvariantCulture;
            var unit = MetricCatalog.ByName(Metric)?.Unit is { Length: > 0 } u ? " " + u : "";
            var beyond = WorsePercent > TolerancePercent;
            var compare = Direction == Direction.Minimize
                ? (beyond ? ">" : "<=") + string.Create(inv, $" {TolerancePercent:0.##} %")
                : (beyond ? "<" : ">=") + string.Create(inv, $" -{TolerancePercent:0.##} %");
            var what = Outcome switch
            {
                NoiseOutcome.Regression => "regression",
                NoiseOutcome.Suspect => "suspect, confirming",
                _ => beyond ? "not significant, pass" : "pass",
            };
            var samples = Samples.Count == 1 ? "1 sample" : $"{Samples.Count} samples";
            return string.Create(inv, $"{Metric} c={Concurrency}: {ChangePercent:+0.0;-0.0;0.0} % [{Low:+0.0;-0.0;0.0}, {High:+0.0;-0.0;0.0}] ")
                   + string.Create(inv, $"over baseline {Baseline:0.###}{unit} ({samples}, history noise {HistoryNoisePercent:0.0} %, n={HistoryRuns}) ")
                   + $"{compare} → {what}";
        }
    }
}
