using System.Text;
using Disagg.Harness.Publishing;

namespace Disagg.Harness.Reporting;

/// <summary>
/// trend.html: the regressions and infra failures of the selection first, then per test one chart per key metric
/// (<see cref="TrendChart"/>) and the table of its runs (position, run id, time, commit, image, outcome). Pure.
/// </summary>
public static class TrendHtml
{
    public const string FileName = "trend.html";

    public static string Render(string selection, IReadOnlyList<HistoryTest> runs, IReadOnlyList<TrendSeries> series, DateTimeOffset generatedAt,
        double k = TrendAnalysis.DefaultSigmas)
    {
        var body = new StringBuilder();
        var flagged = series.SelectMany(s => s.Points.Select((p, i) => (s, p)))
            .Where(x => x.p.Mark is TrendMark.Regression or TrendMark.InfraFailure or TrendMark.Failed).ToList();
        body.Append("<h2>Marked points</h2>\n");
        if (flagged.Count == 0) body.Append("<p class=\"none\">No regression and no failed run in the selection.</p>\n");
        else
            body.Append(HistoryPage.Table(["mark", "test", "metric", "c", "run", "commit", "value", "baseline", "σ"],
                flagged.OrderBy(x => x.p.Mark).ThenByDescending(x => x.p.At).Select(x => (IReadOnlyList<string>)
                [
                    $"<b><font color=\"{Color(x.p.Mark)}\">{x.p.Mark}</font></b>", Code(x.s.TestId), ReportFormat.Html(x.s.Metric),
                    x.s.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture), Code(x.p.RunId), Code(HistoryPage.Short(x.p.Commit)),
                    ReportFormat.Number(x.p.Value), ReportFormat.Number(x.p.Band?.Median), x.p.Band is null ? "–" : ReportFormat.Number(x.p.Sigmas),
                ]), "marked"));

        foreach (var test in series.GroupBy(s => s.TestId))
        {
            body.Append("<hr />\n<h2 class=\"test\">").Append(ReportFormat.Html(test.Key)).Append("</h2>\n<p>");
            foreach (var metric in test.GroupBy(s => s.Metric))
                body.Append(TrendChart.Render($"{metric.Key}", [.. metric.OrderBy(s => s.Concurrency)], k)).Append('\n');
            body.Append("</p>\n");
            var testRuns = runs.Where(r => r.TestId == test.Key).OrderBy(r => r.At).ToList();
            body.Append(HistoryPage.Table(["#", "run", "time (UTC)", "commit", "image", "outcome"],
                testRuns.Select((r, i) => (IReadOnlyList<string>)
                [
                    (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Code(r.RunId), HistoryPage.Date(r.At), Code(r.Commit),
                    Code(r.Image), Outcome(r, test),
                ]), "runs", i => testRuns[i].Passed ? null : "#fdecea"));
        }
        if (series.Count == 0) body.Append("<p class=\"none\">No stored results match the selection.</p>\n");
        var tests = series.Select(s => s.TestId).Distinct().Count();
        var meta = $"{ReportFormat.Html(selection)} · {tests} tests · {runs.Select(r => r.RunId).Distinct().Count()} runs · " +
                   $"{flagged.Count(f => f.p.Mark == TrendMark.Regression)} regressions, " +
                   $"{flagged.Count(f => f.p.Mark == TrendMark.InfraFailure)} infra failures " +
                   $"(baseline: median of up to {TrendAnalysis.DefaultWindow} earlier passing runs, band ±{ReportFormat.Number(k)}σ from the relative MAD)";
        return HistoryPage.Render("Disagg perf trend", meta, body.ToString(), generatedAt);
    }

    private static string Outcome(HistoryTest run, IEnumerable<TrendSeries> series)
    {
        var marks = series.SelectMany(s => s.Points).Where(p => p.RunId == run.RunId).Select(p => p.Mark).ToHashSet();
        var text = marks.Contains(TrendMark.InfraFailure) ? "infra failure"
            : !run.Passed ? "failed"
            : marks.Contains(TrendMark.Regression) ? "regression"
            : "passed";
        var problems = run.Problems.Count > 0 ? ": " + ReportFormat.Html(string.Join("; ", run.Problems.Take(2))) : "";
        return text + problems;
    }

    private static string Code(string text) => $"<code>{ReportFormat.Html(text.Length > 0 ? text : "–")}</code>";

    public static string Color(TrendMark mark) => mark switch
    {
        TrendMark.Regression => TrendChart.RegressionColor,
        TrendMark.InfraFailure => TrendChart.InfraColor,
        TrendMark.Improvement => TrendChart.ImprovementColor,
        _ => "#1d1d1d",
    };
}
