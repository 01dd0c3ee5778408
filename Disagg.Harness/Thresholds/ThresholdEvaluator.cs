using System.Globalization;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

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
