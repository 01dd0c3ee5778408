using System.Globalization;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>The verdict of one rule on one concurrency, worded for a perf engineer.</summary>
public sealed record ThresholdVerdict(ThresholdRule Rule, int Concurrency, double? Value, bool Passed)
{
    public string Describe()
    {
        var unit = MetricCatalog.ByName(Rule.Metric)?.Unit is { Length: > 0 } u ? " " + u : "";
        var bound = Rule.Bound.ToString("0.###", CultureInfo.InvariantCulture);
        if (Value is not { } v)
            return $"{Rule.Metric} at concurrency {Concurrency}: no value in the result block (rule '{Rule}' from {Rule.Source})";
        var value = v.ToString("0.###", CultureInfo.InvariantCulture);
        return Passed
            ? $"{Rule.Metric} at concurrency {Concurrency}: {value}{unit} {Rule.Operator} {bound}{unit} ok"
            : $"{Rule.Metric} at concurrency {Concurrency}: {value}{unit} violates bound {Rule.Operator} {bound}{unit} (rule '{Rule}' from {Rule.Source})";
    }
}
