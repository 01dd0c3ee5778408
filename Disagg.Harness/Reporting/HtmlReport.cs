using System.Globalization;
using System.Text;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Reporting;

/// <summary>
/// The run as an HTML file with its sibling stylesheet report.css and inline SVG charts (no script, no inline style, no
/// external URL), so it reads the same under a strict Content-Security-Policy such as Jenkins' default for archived
/// files (<c>sandbox; default-src 'none'; img-src 'self'; style-src 'self';</c>): the run environment, a table of tests
/// with their key numbers, then per test its facts, failure reasons, charts against baselines, thresholds, metrics and
/// phases. The output is XHTML-style (every element closed, only XML entities) so it can be checked with an XML parser.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "report.html";
    public const string CssFileName = "report.css";

    /// <summary>The content of report.css, written next to report.html.</summary>
    public const string Css = """
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1d; margin: 24px; background: #fafafa; }
        h1 { font-size: 22px; margin: 0 0 4px 0; }
        h2 { font-size: 17px; margin: 0 0 6px 0; word-break: break-all; }
        .meta { color: #555555; margin: 2px 0 10px 0; }
        code { font: 12.5px ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
        table { border-collapse: collapse; background: #ffffff; }
        th, td { border: 1px solid #dddddd; padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: #f0f0f0; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.tests { width: 100%; margin-bottom: 20px; }
        table.tests td.id { word-break: break-all; min-width: 15em; }
        ul.reasons { margin: 0; padding-left: 18px; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12px; color: #ffffff; }
        .badge.pass { background: #2a9d3a; }
        .badge.fail { background: #d62728; }
        .badge.error { background: #8e44ad; }
        .badge.skip { background: #7a7a7a; }
        table.env { margin: 0 0 14px 0; }
        table.env th { background: #f0f0f0; font-weight: 600; }
        section.test { background: #ffffff; border: 1px solid #dddddd; border-radius: 6px; padding: 14px 16px; margin: 0 0 18px 0; }
        section.test.fail { border-left: 5px solid #d62728; }
        section.test.pass { border-left: 5px solid #2a9d3a; }
        section.test.error { border-left: 5px solid #8e44ad; }
        section.test.skip { border-left: 5px solid #7a7a7a; }
        .charts { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }
        svg.chart { border: 1px solid #e5e5e5; background: #ffffff; }
        svg .ct { font: 600 13px system-ui, sans-serif; fill: #1d1d1d; }
        svg .tk { font: 10.5px system-ui, sans-serif; fill: #444444; }
        svg .al { font: 11.5px system-ui, sans-serif; fill: #333333; }
        svg .lg { font: 11px system-ui, sans-serif; fill: #333333; }
        svg .pl { font: 10px system-ui, sans-serif; fill: #555555; }
        details { margin: 6px 0; }
        summary { cursor: pointer; color: #1f6fb4; }
        .problems li { color: #a01d1d; }
        tr.failed td { background: #fdecea; }
        """;

    public static string Render(RunReport run, DateTimeOffset generatedAt)
    {
        var sb = new StringBuilder();
        var title = $"Disagg perf report: {Path.GetFileName(run.ResultsDir.TrimEnd('/', '\\'))}";
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
        sb.Append("<title>").Append(ReportFormat.Html(title)).Append("</title>\n");
        sb.Append("<link rel=\"stylesheet\" href=\"").Append(CssFileName).Append("\" />\n</head>\n<body>\n");
        sb.Append("<h1>").Append(ReportFormat.Html(title)).Append("</h1>\n");
        sb.Append("<p class=\"meta\"><span class=\"counts\">").Append(run.PassedCount).Append(" passed, ").Append(run.FailedCount).Append(" failed, ")
          .Append(run.SkippedCount).Append(" skipped, ").Append(run.Tests.Count).Append(" tests</span> · results <code>")
          .Append(ReportFormat.Html(run.ResultsDir)).Append("</code> · generated ")
          .Append(generatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(" UTC</p>\n");

        AppendEnvironment(sb, run.Environment);
        AppendTestTable(sb, run);
        foreach (var t in run.Tests) AppendTestSection(sb, t);
        if (run.Tests.Count == 0) sb.Append("<p>No test results were found in the results directory.</p>\n");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static string Kind(TestReport t) => t.Passed ? "pass" : t.Skipped ? "skip" : t.HasResults ? "fail" : "error";

    private static void AppendEnvironment(StringBuilder sb, RunEnvironment env)
    {
        sb.Append("<table class=\"env\"><tbody>\n");
        foreach (var (name, value) in env.Rows)
            sb.Append("<tr><th>").Append(ReportFormat.Html(name)).Append("</th><td><code>").Append(ReportFormat.Html(value)).Append("</code></td></tr>\n");
        sb.Append("</tbody></table>\n");
    }

    private static string Badge(TestReport t) => $"<span class=\"badge {Kind(t)}\">{Kind(t).ToUpperInvariant()}</span>";

    private static string Anchor(TestReport t) => "t-" + ReportFormat.Html(t.TestId);

    private static void AppendTestTable(StringBuilder sb, RunReport run)
    {
        sb.Append("<table class=\"tests\">\n<thead><tr><th>verdict</th><th>test</th><th>job</th><th>state</th>")
          .Append("<th class=\"num\">duration</th><th class=\"num\">c</th>");
        foreach (var (_, header) in MarkdownSummary.KeyMetrics) sb.Append("<th class=\"num\">").Append(ReportFormat.Html(header)).Append("</th>");
        sb.Append("<th>failing metrics / problems</th><th>files</th></tr></thead>\n<tbody>\n");
        foreach (var t in run.Tests)
        {
            sb.Append("<tr class=\"").Append(Kind(t)).Append("\"><td>").Append(Badge(t)).Append("</td>");
            sb.Append("<td class=\"id\"><a href=\"#").Append(Anchor(t)).Append("\">").Append(ReportFormat.Html(t.TestId)).Append("</a></td>");
            sb.Append("<td>").Append(ReportFormat.Html(t.JobId ?? "–")).Append("</td>");
            sb.Append("<td>").Append(ReportFormat.Html(t.JobState ?? t.TrxOutcome ?? "–")).Append("</td>");
            sb.Append("<td class=\"num\">").Append(ReportFormat.Html(ReportFormat.Seconds(t.DurationSeconds))).Append("</td>");
            // Key numbers at the test's highest concurrency, as in summary.md.
            var top = t.Highest;
            sb.Append("<td class=\"num\">").Append(top is null ? "–" : top.Concurrency.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            foreach (var (metric, _) in MarkdownSummary.KeyMetrics)
                sb.Append("<td class=\"num\">").Append(ReportFormat.Html(ReportFormat.Number(top?[metric]))).Append("</td>");
            sb.Append("<td>");
            AppendReasons(sb, t);
            sb.Append("</td><td>");
            AppendLinks(sb, t);
            sb.Append("</td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n");
    }

    private static void AppendReasons(StringBuilder sb, TestReport t)
    {
        var reasons = t.FailureReasons.ToList();
        if (t.Skipped) { sb.Append(ReportFormat.Html("skipped: " + (t.SkipReason ?? "no reason given"))); return; }
        if (reasons.Count == 0) { sb.Append(t.Passed ? "–" : ReportFormat.Html($"outcome {t.TrxOutcome ?? "failed"}")); return; }
        sb.Append("<ul class=\"reasons\">");
        foreach (var r in reasons) sb.Append("<li>").Append(ReportFormat.Html(r)).Append("</li>");
        sb.Append("</ul>");
    }

    private static void AppendLinks(StringBuilder sb, TestReport t)
    {
        var links = new List<string>();
        if (t.Folder is not null) links.Add($"<a href=\"{ReportFormat.Html(ReportFormat.RelativeUrl(t.Folder) + "/")}\">logs</a>");
        if (t.DiagnosisArchive is not null) links.Add($"<a href=\"{ReportFormat.Html(ReportFormat.RelativeUrl(t.DiagnosisArchive))}\">diagnosis</a>");
        sb.Append(links.Count == 0 ? "–" : string.Join(" · ", links));
    }

    private static void AppendTestSection(StringBuilder sb, TestReport t)
    {
        sb.Append("<section class=\"test ").Append(Kind(t)).Append("\" id=\"").Append(Anchor(t)).Append("\">\n");
        sb.Append("<h2>").Append(Badge(t)).Append(' ').Append(ReportFormat.Html(t.TestId)).Append("</h2>\n");
        var facts = new List<string>();
        if (t.JobId is not null) facts.Add($"job {t.JobId}");
        if (t.JobState is not null) facts.Add(t.JobState);
        if (t.ExitCode is not null) facts.Add($"exit {t.ExitCode}");
        if (t.Nodes is not null) facts.Add($"nodes {t.Nodes}");
        if (t.DurationSeconds is not null) facts.Add(ReportFormat.Seconds(t.DurationSeconds));
        if (t.ModelName is not null) facts.Add($"model {t.ModelName}{(t.Precision is null ? "" : " " + t.Precision)}");
        if (t.TrxOutcome is not null) facts.Add($"TRX {t.TrxOutcome}");
        sb.Append("<p class=\"meta\">").Append(ReportFormat.Html(string.Join(" · ", facts))).Append(" · ");
        AppendLinks(sb, t);
        sb.Append("</p>\n");
        foreach (var note in t.Notes) sb.Append("<p class=\"meta\">").Append(ReportFormat.Html(note)).Append("</p>\n");

        var reasons = t.FailureReasons.ToList();
        if (reasons.Count > 0)
        {
            sb.Append("<ul class=\"problems\">");
            foreach (var r in reasons) sb.Append("<li>").Append(ReportFormat.Html(r)).Append("</li>");
            sb.Append("</ul>\n");
        }

        var charts = Charts(t).ToList();
        if (t.Skipped)
            sb.Append("<p class=\"meta\">Skipped: ").Append(ReportFormat.Html(t.SkipReason ?? "no reason given")).Append("</p>\n");
        else if (charts.Count == 0)
            sb.Append("<p class=\"meta\">No benchmark results: the test stopped before any concurrency finished.</p>\n");
        else
        {
            sb.Append("<div class=\"charts\">\n");
            foreach (var c in charts) sb.Append(SvgChart.Render(c)).Append('\n');
            sb.Append("</div>\n");
        }
        AppendVerdicts(sb, t);
        AppendMetrics(sb, t);
        AppendPhases(sb, t);
        sb.Append("</section>\n");
    }

    /// <summary>The charts of one test; a chart with no data point is left out.</summary>
    public static IEnumerable<Chart> Charts(TestReport t)
    {
        if (t.Concurrencies.Count == 0) yield break;
        var throughput = MetricChart(t, "Throughput vs concurrency", "tok/s", [("output_token_throughput", "output"), ("total_token_throughput", "total")]);
        if (throughput is not null) yield return throughput;
        foreach (var (key, label) in new[] { ("ttft", "TTFT"), ("tpot", "TPOT"), ("e2el", "E2EL") })
        {
            var chart = MetricChart(t, $"{label} vs concurrency", "ms", [($"median_{key}_ms", $"median {label}"), ($"p99_{key}_ms", $"P99 {label}")]);
            if (chart is not null) yield return chart;
        }
        var curve = ThroughputLatency(t);
        if (curve is not null) yield return curve;
    }

    private static Chart? MetricChart(TestReport t, string title, string unit, IReadOnlyList<(string Metric, string Name)> metrics)
    {
        var series = new List<ChartSeries>();
        var rules = new List<ChartRule>();
        for (var i = 0; i < metrics.Count; i++)
        {
            var (metric, name) = metrics[i];
            var points = t.Concurrencies.Where(c => c[metric] is not null).Select(c => new ChartPoint(c.Concurrency, c[metric]!.Value)).ToList();
            if (points.Count > 0) series.Add(new ChartSeries(name, points, i));
            if (!t.Baselines.TryGetValue(metric, out var b)) continue;
            if (b.ByConcurrency.Count > 0)
                series.Add(new ChartSeries($"{name} baseline", [.. b.ByConcurrency.Select(kv => new ChartPoint(kv.Key, kv.Value))], i, Dashed: true));
            else if (b.All is { } v)
                rules.Add(new ChartRule($"{name} baseline", v, i));
        }
        if (series.All(s => s.Dashed)) return null;
        return new Chart(title, "concurrency", $"{unit}", series, rules) { ConcurrencyAxis = true };
    }

    /// <summary>Output throughput against median end-to-end latency, one point per concurrency.</summary>
    private static Chart? ThroughputLatency(TestReport t)
    {
        const string X = "median_e2el_ms", Y = "output_token_throughput";
        var points = t.Concurrencies.Where(c => c[X] is not null && c[Y] is not null)
            .Select(c => new ChartPoint(c[X]!.Value, c[Y]!.Value, $"c={c.Concurrency.ToString(CultureInfo.InvariantCulture)}")).ToList();
        if (points.Count == 0) return null;
        var series = new List<ChartSeries> { new("this run", points, 0) };
        var rules = new List<ChartRule>();
        if (t.Baselines.TryGetValue(X, out var bx) && t.Baselines.TryGetValue(Y, out var by) && bx.ByConcurrency.Count > 0 && by.ByConcurrency.Count > 0)
        {
            var basePoints = t.Concurrencies.Select(c => (x: bx.At(c.Concurrency), y: by.At(c.Concurrency)))
                .Where(p => p.x is not null && p.y is not null).Select(p => new ChartPoint(p.x!.Value, p.y!.Value)).ToList();
            if (basePoints.Count > 0) series.Add(new ChartSeries("baseline", basePoints, 5, Dashed: true));
        }
        else
        {
            if (t.Baselines.TryGetValue(Y, out var y) && y.All is { } yv) rules.Add(new ChartRule("output baseline", yv, 5));
            if (t.Baselines.TryGetValue(X, out var x) && x.All is { } xv) rules.Add(new ChartRule("median E2EL baseline", xv, 3, Vertical: true));
        }
        return new Chart("Throughput vs latency", "median E2EL (ms)", "output tok/s", series, rules);
    }

    private static void AppendVerdicts(StringBuilder sb, TestReport t)
    {
        if (t.Verdicts.Count == 0) return;
        var failed = t.Verdicts.Count(v => !v.Passed);
        sb.Append("<details").Append(failed > 0 ? " open=\"open\"" : "").Append("><summary>Thresholds: ")
          .Append(t.Verdicts.Count - failed).Append(" met, ").Append(failed).Append(" missed</summary>\n");
        sb.Append("<table><thead><tr><th>rule</th><th class=\"num\">c</th><th class=\"num\">value</th><th>result</th><th>source</th></tr></thead><tbody>\n");
        foreach (var v in t.Verdicts)
        {
            sb.Append("<tr").Append(v.Passed ? "" : " class=\"failed\"").Append("><td><code>").Append(ReportFormat.Html(v.Rule)).Append("</code></td>")
              .Append("<td class=\"num\">").Append(v.Concurrency?.ToString(CultureInfo.InvariantCulture) ?? "–").Append("</td>")
              .Append("<td class=\"num\">").Append(ReportFormat.Html(ReportFormat.Number(v.Value))).Append("</td>")
              .Append("<td>").Append(v.Passed ? "met" : "missed").Append("</td>")
              .Append("<td><code>").Append(ReportFormat.Html(v.Source ?? "")).Append("</code></td></tr>\n");
        }
        sb.Append("</tbody></table>\n</details>\n");
    }

    private static void AppendMetrics(StringBuilder sb, TestReport t)
    {
        if (t.Concurrencies.Count == 0) return;
        var names = t.Concurrencies.SelectMany(c => c.Metrics.Keys).Distinct()
            .OrderBy(n => MetricCatalog.All.Select(m => m.Name).ToList().IndexOf(n) is var i and >= 0 ? i : int.MaxValue)
            .ThenBy(n => n, StringComparer.Ordinal)
            .ToList();
        sb.Append("<details><summary>Metrics per concurrency</summary>\n<table><thead><tr><th>metric</th>");
        foreach (var c in t.Concurrencies) sb.Append("<th class=\"num\">c=").Append(c.Concurrency).Append("</th>");
        sb.Append("</tr></thead><tbody>\n");
        foreach (var n in names)
        {
            var unit = MetricCatalog.ByName(n)?.Unit;
            sb.Append("<tr><td><code>").Append(ReportFormat.Html(n)).Append("</code>")
                .Append(string.IsNullOrEmpty(unit) ? "" : $" ({ReportFormat.Html(unit)})").Append("</td>");
            foreach (var c in t.Concurrencies) sb.Append("<td class=\"num\">").Append(ReportFormat.Html(ReportFormat.Number(c[n]))).Append("</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table>\n</details>\n");
    }

    private static void AppendPhases(StringBuilder sb, TestReport t)
    {
        if (t.Phases.Count == 0) return;
        var start = t.Phases.Min(p => p.At);
        sb.Append("<details><summary>Phases</summary>\n<table><thead><tr><th class=\"num\">+s</th><th>phase</th></tr></thead><tbody>\n");
        foreach (var p in t.Phases.OrderBy(p => p.At))
            sb.Append("<tr><td class=\"num\">").Append((p.At - start).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture))
              .Append("</td><td>").Append(ReportFormat.Html(p.Phase)).Append("</td></tr>\n");
        sb.Append("</tbody></table>\n</details>\n");
    }
}
