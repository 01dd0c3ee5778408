using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// The baseline regression rule of results-upload.md §9–10 on gating metrics, per concurrency.
/// <see cref="Evaluate"/> is pure; <see cref="EvaluateAsync"/> reads history first.
/// </summary>
public static class RegressionRule
{
    public static async Task<IReadOnlyList<RegressionFinding>> EvaluateAsync(
        IReadOnlyList<ConcurrencyResult> blocks, IHistorySource history, RegressionSettings settings, RegressionContext context, CancellationToken cancellationToken)
    {
        if (!settings.Enabled) return [];
        IReadOnlyList<HistoryRecord> records;
        try
        {
            records = await history.GetAsync(new HistoryQuery(context.TestCase, Since(context.Now, settings.LookbackDays)), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return blocks.SelectMany(b => settings.Gating(context.GenOnly, context.SpeculativeDecoding).Select(m => new RegressionFinding(m, b.Concurrency, b[m], null, settings.Tolerance(m, context.Kind), null, false,
                FindingSeverity.Warning, $"regression check skipped: history could not be read ({e.Message}); fix the history source to gate on it"))).ToList();
        }
        return Evaluate(blocks, records, settings, context);
    }

    /// <summary>The lookback start, floored to the UTC day (§8).</summary>
    public static DateTimeOffset Since(DateTimeOffset now, int lookbackDays)
    {
        var start = now.ToUniversalTime().AddDays(-lookbackDays);
        return new DateTimeOffset(start.Date, TimeSpan.Zero);
    }

    public static IReadOnlyList<RegressionFinding> Evaluate(
        IReadOnlyList<ConcurrencyResult> blocks, IReadOnlyList<HistoryRecord> history, RegressionSettings settings, RegressionContext context)
    {
        if (!settings.Enabled) return [];
        var findings = new List<RegressionFinding>();
        foreach (var block in blocks)
        {
            var matching = history.Where(h => h.IsPostMerge && h.Test.TestCase == context.TestCase && h.Test.Concurrency == block.Concurrency).ToList();
            foreach (var metric in settings.Gating(context.GenOnly, context.SpeculativeDecoding))
                findings.Add(Judge(metric, block, matching, settings, context));
        }
        return findings;
    }

    private static RegressionFinding Judge(string metric, ConcurrencyResult block, IReadOnlyList<HistoryRecord> history, RegressionSettings settings, RegressionContext context)
    {
        var info = MetricCatalog.ByName(metric) ?? throw new ArgumentException($"unknown gating metric '{metric}'", nameof(settings));
        var tolerance = settings.Tolerance(metric, context.Kind);
        RegressionFinding Skip(double? value, double? baseline, string why) =>
            new(metric, block.Concurrency, value, baseline, tolerance, null, false, FindingSeverity.Skipped, why);

        if (block[metric] is not { } value || !double.IsFinite(value))
            return Skip(null, null, "no value in the result block; not judged");
        var points = history.Where(h => h[metric] is not null).Select(h => (h.Timestamp, h[metric]!.Value)).ToList();
        if (points.Count == 0)
            return Skip(value, null, $"no history for {context.TestCase} at concurrency {block.Concurrency}; a new metric cannot fail until post-merge history exists");
        var baseline = Baseline.Compute(points.Append((context.Now, value)), info.Direction);
        if (baseline is not > 0)
            return Skip(value, baseline, $"baseline {Num(baseline)} is not positive; not judged");

        var b = baseline.Value;
        var diff = info.Direction == Direction.Minimize ? (b - value) / b * 100 : (value - b) / b * 100;
        var regressed = Misses(info.Direction, value, b, tolerance);
        if (!regressed)
            return new(metric, block.Concurrency, value, b, tolerance, diff, false, FindingSeverity.Pass, "");

        var (severity, note) = Gate(context, settings.FailOn);
        if (severity == FindingSeverity.Failure && context.Kind == RunKind.PreMerge &&
            history.OrderByDescending(h => h.Timestamp).FirstOrDefault(h => h[metric] is not null)?[metric] is > 0 and var latest &&
            Misses(info.Direction, latest, b, settings.Tolerance(metric, RunKind.PreMerge)))
        {
            severity = FindingSeverity.Warning;
            note = $"exempt: the latest post-merge value {Num(latest)} misses the same pre-merge gate, so main already regressed";
        }
        return new(metric, block.Concurrency, value, b, tolerance, diff, true, severity, note);
    }

    private static string Num(double? v) => v is { } x ? x.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) : "none";

    private static bool Misses(Direction direction, double value, double baseline, double tolerance) =>
        direction == Direction.Minimize ? value > baseline * (1 + tolerance) : value < baseline * (1 - tolerance);

    private static (FindingSeverity, string) Gate(RegressionContext context, FailOnRegression failOn)
    {
        if (context.FunctionalOnly) return (FindingSeverity.Warning, "regression (FUNCTIONAL-ONLY stage: never fails on perf)");
        return failOn switch
        {
            FailOnRegression.Always => (FindingSeverity.Failure, "regression (fail_on_regression: always)"),
            FailOnRegression.Never => (FindingSeverity.Warning, "regression (fail_on_regression: never)"),
            _ => context.Kind == RunKind.PreMerge
                ? (FindingSeverity.Failure, "regression (pre-merge: fails)")
                : (FindingSeverity.Warning, "regression (post-merge: warns; triaged later)"),
        };
    }
}
