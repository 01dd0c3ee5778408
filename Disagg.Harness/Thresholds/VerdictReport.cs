using System.Globalization;
using System.Text;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// Builds one report from absolute-bound verdicts and regression findings, so that one assertion lists every failing metric.
/// </summary>
public static class VerdictReport
{
    public static PerfReport Build(string testCase, IReadOnlyList<ThresholdVerdict> verdicts, IReadOnlyList<RegressionFinding> findings,
        IReadOnlyList<string>? problems = null)
    {
        var failures = verdicts.Where(v => !v.Passed).Select(FromBound).ToList();
        failures.AddRange(findings.Where(f => f.Severity == FindingSeverity.Failure).Select(FromFinding));
        var warnings = findings.Where(f => f.Severity == FindingSeverity.Warning).Select(FromFinding).ToList();
        return new PerfReport(testCase, failures, warnings, problems ?? []);
    }

    /// <summary>Diff % of a value against an absolute bound, positive when on the good side (null for a zero bound).</summary>
    public static double? DiffPercent(ThresholdVerdict verdict) =>
        verdict.Value is not { } v || verdict.Rule.Bound == 0 ? null
        : verdict.Rule.Comparison == Comparison.AtMost ? (verdict.Rule.Bound - v) / Math.Abs(verdict.Rule.Bound) * 100
        : (v - verdict.Rule.Bound) / Math.Abs(verdict.Rule.Bound) * 100;

    private static ReportRow FromBound(ThresholdVerdict v) =>
        new(v.Rule.Metric, v.Concurrency, v.Value, $"{v.Rule.Operator} {Num(v.Rule.Bound)}", "-", DiffPercent(v),
            v.Value is null
                ? $"rule '{v.Rule}' from {v.Rule.Source}: no value (concurrency did not run or metric missing)"
                : $"rule '{v.Rule}' from {v.Rule.Source}");

    private static ReportRow FromFinding(RegressionFinding f) =>
        new(f.Metric, f.Concurrency, f.Value, f.Baseline is { } b ? $"baseline {Num(b)}" : "no baseline",
            string.Create(CultureInfo.InvariantCulture, $"{f.Tolerance * 100:0.##}%"), f.DiffPercent, f.Note);

    internal static string Format(PerfReport report)
    {
        var text = new StringBuilder();
        if (report.Passed) text.Append(CultureInfo.InvariantCulture, $"{report.TestCase}: all perf checks passed\n");
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{report.TestCase}: {report.Failures.Count} perf check(s) failed");
            if (report.Problems.Count > 0) text.Append(CultureInfo.InvariantCulture, $", {report.Problems.Count} result problem(s)");
            text.Append('\n');
        }
        foreach (var p in report.Problems) text.Append("  problem: ").Append(p).Append('\n');
        AppendTable(text, "failures", report.Failures);
        AppendTable(text, "warnings (do not fail the test)", report.Warnings);
        return text.ToString();
    }

    private static void AppendTable(StringBuilder text, string title, IReadOnlyList<ReportRow> rows)
    {
        if (rows.Count == 0) return;
        text.Append(title).Append(":\n");
        string[] header = ["metric", "c", "value", "bound/baseline", "tolerance", "diff %", "why"];
        var cells = rows.Select(r => new[]
        {
            r.Metric, r.Concurrency.ToString(CultureInfo.InvariantCulture), r.Value is { } v ? Num(v) + Unit(r.Metric) : "missing",
            r.BoundOrBaseline + Unit(r.Metric), r.Tolerance,
            r.DiffPercent is { } d ? d.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : "-", r.Source,
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Max(c => c[i].Length))).ToArray();
        void Line(string[] row) =>
            text.Append("  ").Append(string.Join("  ", row.Select((c, i) => i == row.Length - 1 ? c : c.PadRight(widths[i])))).Append('\n');
        Line(header);
        foreach (var row in cells) Line(row);
    }

    private static string Unit(string metric) => MetricCatalog.ByName(metric)?.Unit is { Length: > 0 } u ? " " + u : "";

    private static string Num(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
