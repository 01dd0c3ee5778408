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

public static class ThresholdEvaluator
{
    /// <summary>Applies every rule to every concurrency it covers. A rule for a concurrency that did not run fails.</summary>
    public static IReadOnlyList<ThresholdVerdict> Evaluate(IReadOnlyList<ThresholdRule> rules, IReadOnlyList<ConcurrencyResult> blocks)
    {
        var verdicts = new List<ThresholdVerdict>();
        foreach (var rule in rules)
        {
            var targets = rule.Concurrency is { } c ? blocks.Where(b => b.Concurrency == c).ToList() : blocks.ToList();
            if (targets.Count == 0 && rule.Concurrency is { } missing)
                verdicts.Add(new ThresholdVerdict(rule, missing, null, false));
            foreach (var block in targets)
            {
                var value = block[rule.Metric];
                verdicts.Add(new ThresholdVerdict(rule, block.Concurrency, value, value is { } v && rule.IsMet(v)));
            }
        }
        return verdicts;
    }
}
