using System.Globalization;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Publishing;

/// <summary>
/// The regression rule's findings as the document fields dashboards read (results-upload.md §6 G), one
/// outcome per concurrency: <c>b_is_regression</c>, <c>s_regression_info</c>, baselines and both thresholds.
/// </summary>
public static class RegressionOutcomes
{
    public static IReadOnlyDictionary<int, RegressionOutcome>? ByConcurrency(JudgedRun result, DisaggConfig config, ClientSettings client)
    {
        if (result.Regression.Count == 0) return null;
        var outcomes = new Dictionary<int, RegressionOutcome>();
        foreach (var group in result.Regression.GroupBy(f => f.Concurrency))
        {
            var withBaseline = group.Where(f => f.Baseline is > 0 && f.Value is not null && MetricCatalog.ByName(f.Metric)?.DocumentField is not null).ToList();
            var info = withBaseline.Count == 0
                ? ""
                : $"Regression in {result.TestId}-{client.NameFor(group.Key)}:\n" + string.Join("\n", withBaseline.Select(f => string.Create(CultureInfo.InvariantCulture,
                    $"  {MetricCatalog.ByName(f.Metric)!.DocumentField}: value={f.Value:0.0000} baseline={f.Baseline:0.0000} threshold={f.Tolerance * 100:0.00}% diff={f.DiffPercent ?? 0:+0.00;-0.00}%")));
            var fields = withBaseline.ToDictionary(f => MetricCatalog.ByName(f.Metric)!.DocumentField!, f => f);
            outcomes[group.Key] = new RegressionOutcome(
                group.Any(f => f.Regressed),
                info,
                fields.ToDictionary(kv => kv.Key, kv => kv.Value.Baseline!.Value),
                fields.ToDictionary(kv => kv.Key, kv => config.Regression.Tolerance(kv.Value.Metric, RunKind.PostMerge)),
                fields.ToDictionary(kv => kv.Key, kv => config.Regression.Tolerance(kv.Value.Metric, RunKind.PreMerge)));
        }
        return outcomes;
    }
}
