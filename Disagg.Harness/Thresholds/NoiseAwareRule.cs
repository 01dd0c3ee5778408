using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// The noise-aware regression decision (<c>regression.rule: noise_aware</c>, docs/thresholds.md §3a). Per gating metric and concurrency:
/// the newest <c>history_runs</c> matched post-merge values give the baseline (a positive pinned <c>d_baseline_*</c> wins, else their
/// median) and the history noise σh = 1.4826·MAD/median (relative, one run). This run's samples (the planned block and its
/// repeats) give the within-run spread sw (shrunk toward σh²/2 with two pseudo-observations, since two samples say little).
/// The standard error of the mean change is sqrt(max(0, σh² − sw²) + sw²/k + (π/2)·σh²/n): the part of a run's noise that repeats
/// inside one job cannot average out (it is shared by every sample), the baseline's own uncertainty is added. With z = Φ⁻¹(1 − α) and
/// d the change in the worse direction: a regression is d &gt; tolerance and d − z·se &gt; 0 (significant and larger than the threshold);
/// d − 2·z·se &gt; tolerance fails at once (a clear miss, no repeat: twice the interval, since a noise estimate from a few dozen runs
/// can be low); otherwise, while repeats are still possible, d &gt; tolerance − se/2 is suspect (confirm) and anything else passes; the
/// regression condition above decides once the repeats are spent.
/// Fewer than <see cref="MinHistory"/> history runs: not judged (the fixed rule judges).
/// </summary>
public static class NoiseAwareRule
{
    public const int MinHistory = 5;

    /// <summary>Relative noise never counts as less than this (a perfectly flat history would otherwise make any change significant).</summary>
    public const double NoiseFloor = 0.002;

    public static NoiseDecision Decide(string metric, int concurrency, IReadOnlyList<double> samples, IReadOnlyList<double> history,
        double? pinnedBaseline, double tolerance, double alpha, bool canRepeat)
    {
        var info = MetricCatalog.ByName(metric) ?? throw new ArgumentException($"unknown metric '{metric}'", nameof(metric));
        var values = history.Where(v => double.IsFinite(v) && v > 0).ToList();
        var n = values.Count;
        if (n < MinHistory || samples.Count == 0)
            return new NoiseDecision(metric, concurrency, NoiseOutcome.NotJudged, 0, samples, 0, 0, 0, 0, n, tolerance * 100, info.Direction);
        var median = Median(values);
        var noise = Math.Max(NoiseFloor, 1.4826 * Median([.. values.Select(v => Math.Abs(v - median))]) / median);
        var baseline = pinnedBaseline is > 0 and var pin ? pin : median;
        var rel = samples.Select(s => s / baseline - 1).ToList();
        var k = rel.Count;
        var mean = rel.Average();
        var sampleVar = k >= 2 ? rel.Sum(r => (r - mean) * (r - mean)) / (k - 1) : 0;
        var within = (((k - 1) * sampleVar) + (2 * noise * noise / 2)) / (k - 1 + 2);
        var shared = Math.Max(0, (noise * noise) - within);
        var se = Math.Sqrt(shared + (within / k) + (Math.PI / 2 * noise * noise / n));
        var z = InverseNormal.Quantile(1 - alpha);
        var sign = info.Direction == Direction.Minimize ? 1 : -1;
        var worse = sign * mean;
        var significant = worse > tolerance && worse - (z * se) > 0;
        var outcome =
            worse - (2 * z * se) > tolerance ? NoiseOutcome.Regression
            : significant && !canRepeat ? NoiseOutcome.Regression
            : canRepeat && worse > tolerance - (se / 2) ? NoiseOutcome.Suspect
            : NoiseOutcome.Pass;
        return new NoiseDecision(metric, concurrency, outcome, baseline, samples, mean * 100, (mean - (z * se)) * 100, (mean + (z * se)) * 100,
            noise * 100, n, tolerance * 100, info.Direction);
    }

    /// <summary>The decisions of every gating metric of one concurrency, from its samples and the run's history.</summary>
    public static IReadOnlyList<NoiseDecision> DecideCase(IReadOnlyList<ConcurrencyResult> samples, IReadOnlyList<HistoryRecord> history,
        RegressionSettings settings, RegressionContext context, bool canRepeat)
    {
        if (samples.Count == 0) return [];
        var concurrency = samples[0].Concurrency;
        var key = context.KeyFor(concurrency);
        var matched = history.Where(h => h.IsPostMerge && h.Key.Matches(key)).OrderByDescending(h => h.Timestamp).ToList();
        var pins = matched.Where(h => h.HasBaselineFields).MaxBy(h => h.Timestamp)?.Pinned ?? new Dictionary<string, double>(StringComparer.Ordinal);
        var decisions = new List<NoiseDecision>();
        foreach (var metric in settings.Gating(context.GenOnly, context.SpeculativeDecoding))
        {
            var values = samples.Select(s => s[metric]).OfType<double>().Where(double.IsFinite).ToList();
            if (values.Count == 0) continue;
            var field = MetricCatalog.ByName(metric)?.DocumentField;
            var pinned = field is not null && pins.GetValueOrDefault(DocumentMetrics.BaselineField(field)) is > 0 and var p ? p : (double?)null;
            var tolerance = RegressionRule.Threshold(settings, metric, field, context.Kind, pins);
            var recent = matched.Select(h => h[metric]).OfType<double>().Take(settings.HistoryRuns).ToList();
            decisions.Add(Decide(metric, concurrency, values, recent, pinned, tolerance, settings.Alpha, canRepeat));
        }
        return decisions;
    }

    /// <summary>The relative history noise (1.4826·MAD/median) of a metric's values; null with fewer than <see cref="MinHistory"/>.</summary>
    public static double? HistoryNoise(IReadOnlyList<double> values)
    {
        var v = values.Where(x => double.IsFinite(x) && x > 0).ToList();
        if (v.Count < MinHistory) return null;
        var median = Median(v);
        return Math.Max(NoiseFloor, 1.4826 * Median([.. v.Select(x => Math.Abs(x - median))]) / median);
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
