using System.Globalization;

namespace Disagg.Harness.Reporting;

/// <summary>
/// Output tok/s per GPU against tok/s per user for every run and concurrency of a config family, one colour per group
/// (build, config or run), with each group's frontier (<see cref="ParetoFrontier"/>) drawn as a thick line (class
/// <c>frontier</c>) and its points labelled by concurrency. Axes start at zero. Pure.
/// </summary>
public static class ParetoChart
{
    public static string Render(string title, IReadOnlyList<(string Group, IReadOnlyList<ParetoPoint> Points, IReadOnlyList<ParetoPoint> Frontier)> groups)
    {
        var all = groups.SelectMany(g => g.Points).ToList();
        var (x0, x1, xTicks) = HistorySvg.Axis(0, all.Count == 0 ? 1 : all.Max(p => p.UserTps) * 1.05, fromZero: true);
        var svg = new HistorySvg(title, "tok/s per user (interactivity)", "output tok/s per GPU", (x0, x1),
            (0, all.Count == 0 ? 1 : all.Max(p => p.PerGpuTps) * 1.05), [.. xTicks.Select(t => (t.V, t.Label))], yFromZero: true);
        svg.Legend([.. groups.Select((g, i) => (g.Group, HistorySvg.Palette[i % HistorySvg.Palette.Count], false))]);
        for (var i = 0; i < groups.Count; i++)
        {
            var (group, points, frontier) = groups[i];
            var color = HistorySvg.Palette[i % HistorySvg.Palette.Count];
            if (frontier.Count > 1)
                svg.Raw($"<polyline class=\"frontier\" points=\"{string.Join(' ', frontier.Select(p =>
                    $"{HistorySvg.F(svg.X(p.UserTps))},{HistorySvg.F(svg.Y(p.PerGpuTps))}"))}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"3\" />");
            var onFrontier = frontier.ToHashSet();
            foreach (var p in points)
            {
                var tip = $"{group}: run {p.RunId} · {p.TestId} · c={p.Concurrency}: {ReportFormat.Number(p.PerGpuTps)} tok/s/GPU at " +
                          $"{ReportFormat.Number(p.UserTps)} tok/s/user{(onFrontier.Contains(p) ? " (frontier)" : "")}";
                var (cx, cy) = (HistorySvg.F(svg.X(p.UserTps)), HistorySvg.F(svg.Y(p.PerGpuTps)));
                svg.Raw(onFrontier.Contains(p)
                    ? $"<g class=\"point frontier-point\"><title>{ReportFormat.Html(tip)}</title><circle cx=\"{cx}\" cy=\"{cy}\" r=\"5\" fill=\"{color}\" />" +
                      $"<text x=\"{HistorySvg.F(svg.X(p.UserTps) + 7)}\" y=\"{HistorySvg.F(svg.Y(p.PerGpuTps) - 7)}\" {HistorySvg.Font(10, "#555555")}>" +
                      $"c={p.Concurrency.ToString(CultureInfo.InvariantCulture)}</text></g>"
                    : $"<g class=\"point\"><title>{ReportFormat.Html(tip)}</title>" +
                      $"<circle cx=\"{cx}\" cy=\"{cy}\" r=\"3\" fill=\"{color}\" fill-opacity=\"0.45\" /></g>");
            }
        }
        return svg.ToString();
    }
}
