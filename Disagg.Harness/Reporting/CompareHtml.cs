using System.Globalization;
using System.Text;

namespace Disagg.Harness.Reporting;

/// <summary>compare.html: every row of a <see cref="RunComparison"/>, worst movers first, and every difference. Pure.</summary>
public static class CompareHtml
{
    public const string FileName = "compare.html";

    public static string Render(RunComparison c, DateTimeOffset generatedAt)
    {
        var body = new StringBuilder();
        body.Append("<h2>Movers, worst first</h2>\n");
        body.Append(HistoryPage.Table(["", "test", "metric", "c", "A", "B", "Δ %", "noise σ %", "σ"],
            c.Rows.Select(r => (IReadOnlyList<string>)
            [
                $"<b>{ReportFormat.Html(CompareMarkdown.Mark(r))}</b>", $"<code>{ReportFormat.Html(r.TestId)}</code>", ReportFormat.Html(r.Metric),
                r.Concurrency.ToString(CultureInfo.InvariantCulture), ReportFormat.Number(r.A), ReportFormat.Number(r.B), ParetoHtml.Signed(r.DeltaPct),
                r.NoisePct is { } n ? n.ToString("0.0", CultureInfo.InvariantCulture) : "–",
                r.Significance == Significance.Unknown ? "–" : r.WorseSigmas.ToString("0.0", CultureInfo.InvariantCulture),
            ]), "movers", i => c.Rows[i] switch
            {
                { Significance: Significance.Significant, Worse: true } => "#fdecea",
                { Significance: Significance.Significant, Worse: false } => "#eaf7ec",
                { Significance: Significance.Likely, Worse: true } => "#fff4e0",
                _ => null,
            }));
        body.Append("<h2>What differed</h2>\n");
        body.Append(c.Differences.Count == 0 ? "<p class=\"none\">Nothing recorded differs.</p>\n"
            : HistoryPage.Table(["test", "what", "A", "B"], c.Differences.Select(d => (IReadOnlyList<string>)
            [
                d.TestId.Length == 0 ? "all" : $"<code>{ReportFormat.Html(d.TestId)}</code>", ReportFormat.Html(d.What),
                $"<code>{ReportFormat.Html(d.A)}</code>", $"<code>{ReportFormat.Html(d.B)}</code>",
            ]), "differences"));
        var meta = $"run A <code>{ReportFormat.Html(c.RunA)}</code> → run B <code>{ReportFormat.Html(c.RunB)}</code> · {c.Rows.Count} values · " +
                   $"{c.SignificantRegressions} significant regressions, {c.SignificantImprovements} significant improvements " +
                   $"(noise: relative MAD of up to {c.HistoryWindow} earlier passing runs)";
        return HistoryPage.Render("Disagg compare", meta, body.ToString(), generatedAt);
    }
}
