using System.Globalization;
using System.Text;

namespace Disagg.Harness.Reporting;

/// <summary>
/// A <see cref="RunComparison"/> as Markdown fit for a merge-request comment: a one-line verdict, the worst movers first
/// (at most <see cref="MaxRows"/> rows, the rest in compare.html), then what differed between the runs. Pure.
/// </summary>
public static class CompareMarkdown
{
    public const string FileName = "compare.md";
    public const int MaxRows = 25;

    public static string Render(RunComparison c)
    {
        var sb = new StringBuilder();
        sb.Append($"### Disagg compare: `{c.RunA}` → `{c.RunB}`\n\n");
        sb.Append($"{c.Rows.Count} values compared; **{c.SignificantRegressions} significant regressions**, ")
          .Append($"{c.SignificantImprovements} significant improvements. ")
          .Append($"Significance: the change in sigmas of the history's noise (relative MAD × 1.4826 of up to {c.HistoryWindow} earlier passing runs, ")
          .Append("at least 1 %): ‼ ≥ 3σ, ! ≥ 2σ, ? no history.\n\n");
        if (c.Rows.Count == 0) sb.Append("No metric was measured by both runs.\n\n");
        else
        {
            sb.Append("| | test | metric | c | A | B | Δ % | noise σ % | σ |\n|---|---|---|---:|---:|---:|---:|---:|---:|\n");
            foreach (var r in c.Rows.Take(MaxRows))
                sb.Append($"| {Mark(r)} | {ReportFormat.MarkdownCode(r.TestId)} | {ReportFormat.MarkdownCode(r.Metric)} | {r.Concurrency} | ")
                  .Append($"{ReportFormat.Number(r.A)} | {ReportFormat.Number(r.B)} | {ParetoHtml.Signed(r.DeltaPct)} | ")
                  .Append($"{(r.NoisePct is { } n ? n.ToString("0.0", CultureInfo.InvariantCulture) : "–")} | ")
                  .Append($"{(r.Significance == Significance.Unknown ? "–" : r.WorseSigmas.ToString("0.0", CultureInfo.InvariantCulture))} |\n");
            if (c.Rows.Count > MaxRows) sb.Append($"\n{c.Rows.Count - MaxRows} more rows in compare.html.\n");
            sb.Append('\n');
        }
        sb.Append("#### What differed\n\n");
        if (c.Differences.Count == 0) sb.Append("Nothing recorded differs (commit, image, cluster, nodes, config).\n");
        else
        {
            sb.Append("| test | what | A | B |\n|---|---|---|---|\n");
            foreach (var d in c.Differences.Take(40))
                sb.Append($"| {(d.TestId.Length == 0 ? "all" : ReportFormat.MarkdownCode(d.TestId))} | {ReportFormat.Markdown(d.What)} | ")
                  .Append($"{Cell(d.A)} | {Cell(d.B)} |\n");
            if (c.Differences.Count > 40) sb.Append($"\n{c.Differences.Count - 40} more differences in compare.html.\n");
        }
        return sb.ToString();
    }

    /// <summary>‼ / ! worse or better by significance, ~ within noise, ? no history.</summary>
    public static string Mark(CompareRow r) => r.Significance switch
    {
        Significance.Significant => r.Worse ? "‼ worse" : "‼ better",
        Significance.Likely => r.Worse ? "! worse" : "! better",
        Significance.Noise => "~",
        _ => "?",
    };

    private static string Cell(string text) => text.Length == 0 ? "–" : ReportFormat.MarkdownCode(text.Length > 80 ? text[..80] + "…" : text);
}
