using System.Globalization;

namespace Disagg.Harness.Configuration;

/// <summary>
/// An absolute bound on one metric, for every concurrency or one. Written in YAML as
/// <c>median_ttft_ms &lt;= 350 at c=16</c> or as a mapping <c>{metric, max|min, concurrency}</c>.
/// </summary>
public sealed record ThresholdRule(string Metric, Comparison Comparison, double Bound, int? Concurrency, string Source)
{
    public string Operator => Comparison == Comparison.AtMost ? "<=" : ">=";

    public bool IsMet(double value) => Comparison == Comparison.AtMost ? value <= Bound : value >= Bound;

    public override string ToString() =>
        $"{Metric} {Operator} {Bound.ToString(CultureInfo.InvariantCulture)}" + (Concurrency is { } c ? $" at c={c}" : "");
}
