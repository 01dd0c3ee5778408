using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// The baseline regression rule, per test case (one concurrency). History is the post-merge records whose
/// <see cref="CaseKey"/> matches the case. The baseline of a metric is the <c>d_baseline_*</c> pinned by the newest record
/// that has baseline fields, when positive; else the rolling baseline of the history alone (<see cref="Baseline"/>; the
/// new value never enters its own baseline). The threshold is a tolerance written in the config, else the
/// <c>d_threshold_*</c> pinned in history when positive, else 5 % post-merge / 10 % pre-merge. A gating metric regresses
/// when it is worse than baseline × (1 ∓ threshold); a pre-merge case whose latest post-merge record already misses the
/// gate on a gating metric is not failed (main regressed first). <see cref="Judge"/> is pure; <see cref="EvaluateAsync"/>
/// reads history first.
/// </summary>
public static class RegressionRule
{
    public static async Task<RegressionVerdict> EvaluateAsync(
        IReadOnlyList<ConcurrencyResult> blocks, IHistorySource history, RegressionSettings settings, RegressionContext context,
        CancellationToken cancellationToken, IReadOnlyList<ConcurrencyResult>? repeats = null)
    {
        if (!settings.Enabled) return RegressionVerdict.None;
        IReadOnlyList<HistoryRecord> records;
        try
        {
            var query = new HistoryQuery([.. blocks.Select(b => context.KeyFor(b.Concurrency))], Since(context.Now, settings.LookbackDays));
            records = await history.GetAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var gating = settings.Gating(context.GenOnly, context.SpeculativeDecoding);
            return new RegressionVerdict([.. blocks.SelectMany(b => gating.Select(m => new RegressionFinding(m, b.Concurrency, b[m], null,
                settings.Tolerance(m, context.Kind), null, false, FindingSeverity.Warning,
                $"regression check skipped: history could not be read ({e.Message}); fix the history source to gate on it")))], []);
        }
        return Judge(blocks, records, settings, context, repeats);
    }

    /// <summary>The lookback start, floored to the UTC day.</summary>
    public static DateTimeOffset Since(DateTimeOffset now, int lookbackDays)
    {
        var start = now.ToUniversalTime().AddDays(-lookbackDays);
        return new DateTimeOffset(start.Date, TimeSpan.Zero);
    }

    /// <summary>The gating findings only (what fails or warns).</summary>
    public static IReadOnlyList<RegressionFinding> Evaluate(
        IReadOnlyList<ConcurrencyResult> blocks, IReadOnlyList<HistoryRecord> history, RegressionSettings settings, RegressionContext context) =>
        Judge(blocks, history, settings, context).Findings;

    /// <summary>
    /// Judges every planned block. With <c>rule: noise_aware</c> the gating findings come from <see cref="NoiseAwareRule"/> over the block
    /// and its <paramref name="repeats"/> (a case with too little history falls back to the fixed rule); the case lines stay the fixed rule's.
    /// </summary>
    public static RegressionVerdict Judge(
        IReadOnlyList<ConcurrencyResult> blocks, IReadOnlyList<HistoryRecord> history, RegressionSettings settings, RegressionContext context,
        IReadOnlyList<ConcurrencyResult>? repeats = null)
    {
        if (!settings.Enabled) return RegressionVerdict.None;
        var findings = new List<RegressionFinding>();
        var cases = new List<RegressionCase>();
        foreach (var block in blocks)
        {
            var (caseFindings, regressionCase) = JudgeCase(block, history, settings, context);
            if (settings.Rule == RegressionRuleKind.NoiseAware)
            {
                var samples = new List<ConcurrencyResult> { block };
                samples.AddRange((repeats ?? []).Where(r => r.Concurrency == block.Concurrency).OrderBy(r => r.SampleIndex));
                var decisions = NoiseAwareRule.DecideCase(samples, history, settings, context, canRepeat: false);
                caseFindings = NoiseAware(caseFindings, decisions, Gate(context, settings.FailOn));
                regressionCase = regressionCase with { IsRegression = caseFindings.Any(f => f.Regressed) };
            }
            findings.AddRange(caseFindings);
            cases.Add(regressionCase);
        }
        return new RegressionVerdict(findings, cases);
    }

    private sealed record Compared(string Metric, double Value, double Baseline, double Threshold, double Diff, bool Regressed);

    private static (List<RegressionFinding>, RegressionCase) JudgeCase(ConcurrencyResult block, IReadOnlyList<HistoryRecord> history,
        RegressionSettings settings, RegressionContext context)
    {
        var key = context.KeyFor(block.Concurrency);
        var matched = history.Where(h => h.IsPostMerge && h.Key.Matches(key)).ToList();
        var latest = matched.MaxBy(h => h.Timestamp);
        var pinned = matched.Where(h => h.HasBaselineFields).MaxBy(h => h.Timestamp);
        var pins = pinned?.Pinned ?? new Dictionary<string, double>(StringComparer.Ordinal);
        var gating = settings.Gating(context.GenOnly, context.SpeculativeDecoding);

        Compared? Compare(string metric)
        {
            if (latest is null || block[metric] is not { } value) return null;
            var info = MetricCatalog.ByName(metric) ?? throw new ArgumentException($"unknown metric '{metric}'", nameof(settings));
            var field = info.DocumentField;
            var baseline = field is not null && pins.GetValueOrDefault(DocumentMetrics.BaselineField(field)) is > 0 and var pin
                ? pin
                : Baseline.Compute(matched.Where(h => h[metric] is not null).Select(h => (h.Timestamp, h[metric]!.Value)), info.Direction);
            if (baseline is not > 0) return null;
            var threshold = Threshold(settings, metric, field, context.Kind, pins);
            var b = baseline.Value;
            var diff = info.Direction == Direction.Minimize ? (b - value) / b * 100 : (value - b) / b * 100;
            return new Compared(metric, value, b, threshold, diff, Misses(info.Direction, value, b, threshold));
        }

        var compared = new Dictionary<string, Compared>(StringComparer.Ordinal);
        foreach (var metric in DocumentMetrics.Fields.Select(DocumentMetrics.CatalogName).Concat(gating).Distinct(StringComparer.Ordinal))
            if (Compare(metric) is { } c) compared[metric] = c;

        var lines = DocumentMetrics.Fields
            .Where(f => compared.ContainsKey(DocumentMetrics.CatalogName(f)))
            .Select(f => compared[DocumentMetrics.CatalogName(f)])
            .Select(c => new RegressionLine(MetricCatalog.ByName(c.Metric)!.DocumentField!, c.Value, c.Baseline, c.Threshold, c.Diff))
            .ToList();
        var regressed = gating.Where(m => compared.GetValueOrDefault(m)?.Regressed == true).ToList();
        var (severity, note) = Gate(context, settings.FailOn);
        var exemptBy = severity == FindingSeverity.Failure && context.Kind == RunKind.PreMerge && regressed.Count > 0 && latest is not null
            ? gating.Select(m => LatestMisses(m, latest, compared.GetValueOrDefault(m))).FirstOrDefault(l => l is not null)
            : null;

        var findings = new List<RegressionFinding>();
        foreach (var metric in gating)
        {
            var tolerance = Threshold(settings, metric, MetricCatalog.ByName(metric)?.DocumentField, context.Kind, pins);
            if (block[metric] is not { } value)
                findings.Add(new(metric, block.Concurrency, null, null, tolerance, null, false, FindingSeverity.Skipped,
                    "no value in the result block; not judged"));
            else if (latest is null)
                findings.Add(new(metric, block.Concurrency, value, null, tolerance, null, false, FindingSeverity.Skipped,
                    $"no history for {key.TestCaseName} at concurrency {block.Concurrency}; a new test case cannot fail until post-merge history exists"));
            else if (compared.GetValueOrDefault(metric) is not { } c)
                findings.Add(new(metric, block.Concurrency, value, null, tolerance, null, false, FindingSeverity.Skipped,
                    "the baseline is not positive (no positive pinned baseline or history value); not judged"));
            else if (!c.Regressed)
                findings.Add(new(metric, block.Concurrency, value, c.Baseline, c.Threshold, c.Diff, false, FindingSeverity.Pass, ""));
            else if (exemptBy is not null)
                findings.Add(new(metric, block.Concurrency, value, c.Baseline, c.Threshold, c.Diff, true, FindingSeverity.Warning,
                    $"exempt: the latest post-merge value of {exemptBy.Field} ({Num(exemptBy.Value)}) already misses the same gate, so main regressed first"));
            else
                findings.Add(new(metric, block.Concurrency, value, c.Baseline, c.Threshold, c.Diff, true, severity, note));
        }
        var regressionCase = new RegressionCase(block.Concurrency, key.TestCaseName ?? "", latest is not null, regressed.Count > 0, lines,
            pinned?.Pinned ?? new Dictionary<string, double>(StringComparer.Ordinal))
        {
            ExemptBy = exemptBy,
        };
        return (findings, regressionCase);
    }

    /// <summary>The fixed rule's findings with each judged gating metric replaced by its noise-aware decision (same gate and exemption).</summary>
    private static List<RegressionFinding> NoiseAware(List<RegressionFinding> fixedFindings, IReadOnlyList<NoiseDecision> decisions,
        (FindingSeverity Severity, string Note) gate)
    {
        var result = new List<RegressionFinding>();
        foreach (var f in fixedFindings)
        {
            var d = decisions.FirstOrDefault(x => x.Metric == f.Metric);
            if (d is null || d.Outcome == NoiseOutcome.NotJudged || f.Severity == FindingSeverity.Skipped)
            {
                result.Add(d is { Outcome: NoiseOutcome.NotJudged } && f.Severity != FindingSeverity.Skipped
                    ? f with { Note = Join(f.Note, $"history too short for a noise estimate (n={d.HistoryRuns} < {NoiseAwareRule.MinHistory}): fixed rule") }
                    : f);
                continue;
            }
            var regressed = d.Outcome == NoiseOutcome.Regression;
            // A regression keeps the fixed rule's gate (pre-merge fails, post-merge warns, exemption) when it had one, else fails by the gate note.
            var severity = regressed ? (f.Regressed ? f.Severity : gate.Severity) : FindingSeverity.Pass;
            var note = regressed ? d.Message + "; " + (f.Regressed ? f.Note : gate.Note) : d.Message;
            result.Add(f with
            {
                Value = d.Mean,
                Baseline = d.Baseline,
                DiffPercent = -d.WorsePercent,
                Regressed = regressed,
                Severity = severity,
                Note = note,
            });
        }
        return result;
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : a + "; " + b;

    /// <summary>
    /// The latest post-merge record's value of a gating metric, when it is a positive number that misses the same gate
    /// (same baseline, this run's pre-merge threshold); null otherwise, so a missing or broken record never waives the gate.
    /// </summary>
    private static RegressionLine? LatestMisses(string metric, HistoryRecord latest, Compared? compared)
    {
        if (compared is null || latest[metric] is not { } v || v <= 0) return null;
        var direction = MetricCatalog.ByName(metric)!.Direction;
        if (!Misses(direction, v, compared.Baseline, compared.Threshold)) return null;
        var diff = direction == Direction.Minimize ? (compared.Baseline - v) / compared.Baseline * 100 : (v - compared.Baseline) / compared.Baseline * 100;
        return new RegressionLine(MetricCatalog.ByName(metric)!.DocumentField ?? metric, v, compared.Baseline, compared.Threshold, diff);
    }

    /// <summary>
    /// A tolerance written in the config (per metric, or a section value other than the default) wins; else a positive
    /// threshold pinned in history; else the section's tolerance (5 % post-merge, 10 % pre-merge by default).
    /// </summary>
    public static double Threshold(RegressionSettings settings, string metric, string? field, RunKind kind, IReadOnlyDictionary<string, double> pins)
    {
        var custom = settings.PerMetric.GetValueOrDefault(metric);
        if ((kind == RunKind.PostMerge ? custom?.PostMerge : custom?.PreMerge) is { } perMetric) return perMetric;
        var section = kind == RunKind.PostMerge ? settings.PostMergeTolerance : settings.PreMergeTolerance;
        var fallback = kind == RunKind.PostMerge ? RegressionSettings.DefaultPostMerge : RegressionSettings.DefaultPreMerge;
        if (section != fallback) return section;
        return field is not null && pins.GetValueOrDefault(DocumentMetrics.ThresholdField(field, kind)) is > 0 and var pinned ? pinned : section;
    }

    private static string Num(double v) => v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

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
