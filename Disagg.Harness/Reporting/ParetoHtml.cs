using System.Globalization;
using System.Text;

namespace Disagg.Harness.Reporting;

/// <summary>
/// pareto.html: per config family (model, ISL/OSL, GPU type) the chart of every run and concurrency with each group's
/// frontier (<see cref="ParetoChart"/>), then the first two groups compared at matched per-user throughput
/// (<see cref="FrontierComparison"/>): both interpolated per-GPU throughputs and B's change. Pure.
/// </summary>
public static class ParetoHtml
{
    public const string FileName = "pareto.html";

    public static string Render(string selection, string groupedBy, IReadOnlyList<ParetoFamily> families, DateTimeOffset generatedAt)
    {
        var body = new StringBuilder();
        foreach (var family in families)
        {
            var groups = family.Points.GroupBy(p => p.Group).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (Group: g.Key, Points: (IReadOnlyList<ParetoPoint>)[.. g], Frontier: ParetoFrontier.Of(g))).ToList();
            body.Append("<h2 class=\"family\">").Append(ReportFormat.Html(family.Name)).Append("</h2>\n<p>")
                .Append(ParetoChart.Render($"{family.Name}: frontier per {groupedBy}", groups)).Append("</p>\n");
            body.Append(HistoryPage.Table([groupedBy, "points", "frontier (c: tok/s/user → tok/s/GPU)"],
                groups.Select(g => (IReadOnlyList<string>)
                [
                    $"<code>{ReportFormat.Html(g.Group)}</code>", g.Points.Count.ToString(CultureInfo.InvariantCulture),
                    ReportFormat.Html(string.Join("; ", g.Frontier.Select(p =>
                        $"c={p.Concurrency}: {ReportFormat.Number(p.UserTps)} → {ReportFormat.Number(p.PerGpuTps)}"))),
                ]), "frontiers"));
            if (groups.Count < 2)
            {
                body.Append("<p class=\"none\">One group only: nothing to compare at matched interactivity.</p>\n");
                continue;
            }
            var (a, b) = (groups[0], groups[1]);
            var rows = FrontierComparison.Compare(a.Frontier, b.Frontier);
            body.Append("<h3>").Append(ReportFormat.Html($"{b.Group} against {a.Group} at matched tok/s per user")).Append("</h3>\n");
            if (rows.Count == 0) body.Append("<p class=\"none\">The two frontiers do not overlap in tok/s per user: no matched comparison.</p>\n");
            else
                body.Append(HistoryPage.Table(["tok/s per user", $"A: {a.Group} tok/s/GPU", $"B: {b.Group} tok/s/GPU", "Δ %"],
                    rows.Select(r => (IReadOnlyList<string>)
                    [
                        ReportFormat.Number(r.UserTps), ReportFormat.Number(r.A), ReportFormat.Number(r.B), Signed(r.DeltaPct),
                    ]), "matched", i => rows[i].DeltaPct < -1 ? "#fdecea" : rows[i].DeltaPct > 1 ? "#eaf7ec" : null));
        }
        if (families.Count == 0) body.Append("<p class=\"none\">No stored results with per-GPU and per-user throughput match the selection.</p>\n");
        var meta = $"{ReportFormat.Html(selection)} · {families.Count} config families · grouped by {ReportFormat.Html(groupedBy)} · " +
                   "frontier: points no other point of the group beats on both axes; matched values are linear interpolations on each frontier";
        return HistoryPage.Render("Disagg Pareto frontiers", meta, body.ToString(), generatedAt);
    }

    public static string Signed(double pct) =>
        double.IsFinite(pct) ? (pct > 0 ? "+" : "") + pct.ToString("0.0", CultureInfo.InvariantCulture) : "–";
}
