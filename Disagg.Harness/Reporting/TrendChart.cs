using System.Text;

namespace Disagg.Harness.Reporting;

/// <summary>
/// One test and metric over its last runs as SVG: a line per concurrency, each with its rolling baseline (dashed) and
/// noise band (shaded), regressions ringed red (class <c>regression</c>), improvements ringed green, failed runs as a
/// black ring and infra failures as a purple cross on the x axis. The x axis is the run's position (1 = oldest); every
/// point's tooltip names its run id, commit and container image. Pure.
/// </summary>
public static class TrendChart
{
    public const string RegressionColor = "#d62728";
    public const string InfraColor = "#e6008a";
    public const string ImprovementColor = "#2a9d3a";

    public static string Render(string title, IReadOnlyList<TrendSeries> series, double k = TrendAnalysis.DefaultSigmas)
    {
        var runs = series.SelectMany(s => s.Points.Select(p => (p.RunId, p.At))).Distinct().OrderBy(r => r.At).ThenBy(r => r.RunId, StringComparer.Ordinal)
            .Select(r => r.RunId).ToList();
        var index = runs.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i + 1, StringComparer.Ordinal);
        var ys = series.SelectMany(s => s.Points.SelectMany(p => p.Value is { } v
            ? p.Band is { } b ? new[] { v, b.Low(k), b.High(k) } : [v]
            : p.Band is { } b2 ? [b2.Low(k), b2.High(k)] : [])).ToList();
        var ticks = runs.Count <= 20 ? runs.Select((_, i) => ((double)(i + 1), (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList()
            : [.. Enumerable.Range(1, runs.Count).Where(i => i == 1 || i == runs.Count || i % 5 == 0)
                .Select(i => ((double)i, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))];
        var svg = new HistorySvg(title, "run (oldest → newest)", series.FirstOrDefault()?.Metric ?? "",
            (0.5, Math.Max(1, runs.Count) + 0.5), ys.Count == 0 ? (0, 1) : (ys.Min(), ys.Max()), ticks, yFromZero: false);
        var legend = series.Select((s, i) => ($"c={s.Concurrency}", HistorySvg.Palette[i % HistorySvg.Palette.Count], false)).ToList();
        legend.Add(("baseline ± " + k.ToString(System.Globalization.CultureInfo.InvariantCulture) + "σ", "#999999", true));
        legend.Add(("regression", RegressionColor, false));
        legend.Add(("infra failure", InfraColor, false));
        svg.Legend(legend);

        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var color = HistorySvg.Palette[i % HistorySvg.Palette.Count];
            var banded = s.Points.Where(p => p.Band is not null).ToList();
            if (banded.Count > 0)
            {
                var upper = banded.Select(p => $"{HistorySvg.F(svg.X(index[p.RunId]))},{HistorySvg.F(svg.Y(p.Band!.High(k)))}");
                var lower = banded.AsEnumerable().Reverse().Select(p => $"{HistorySvg.F(svg.X(index[p.RunId]))},{HistorySvg.F(svg.Y(p.Band!.Low(k)))}");
                if (banded.Count == 1)
                    upper = [$"{HistorySvg.F(svg.X(index[banded[0].RunId]) - 4)},{HistorySvg.F(svg.Y(banded[0].Band!.High(k)))}", .. upper];
                svg.Raw($"<polygon class=\"band\" points=\"{string.Join(' ', upper.Concat(lower))}\" fill=\"{color}\" " +
                        "fill-opacity=\"0.13\" stroke=\"none\" />");
                svg.Raw($"<polyline class=\"baseline\" points=\"{string.Join(' ', banded.Select(p =>
                    $"{HistorySvg.F(svg.X(index[p.RunId]))},{HistorySvg.F(svg.Y(p.Band!.Median))}"))}\" fill=\"none\" stroke=\"{color}\" " +
                        "stroke-width=\"1.2\" stroke-dasharray=\"5 4\" opacity=\"0.8\" />");
            }
            var valued = s.Points.Where(p => p.Value is not null).ToList();
            if (valued.Count > 1)
                svg.Raw($"<polyline class=\"series\" points=\"{string.Join(' ', valued.Select(p =>
                    $"{HistorySvg.F(svg.X(index[p.RunId]))},{HistorySvg.F(svg.Y(p.Value!.Value))}"))}\" " +
                        $"fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" />");
            foreach (var p in s.Points) svg.Raw(Point(svg, s, p, index[p.RunId], color, k));
        }
        return svg.ToString();
    }

    private static string Point(HistorySvg svg, TrendSeries s, TrendPoint p, int position, string color, double k)
    {
        var tip = Tooltip(s, p, position, k);
        var x = HistorySvg.F(svg.X(position));
        if (p.Value is not { } v)
        {
            if (p.Mark is not (TrendMark.InfraFailure or TrendMark.Failed)) return "";
            var y = svg.Y(svg.YAxisMin);
            var c = p.Mark == TrendMark.InfraFailure ? InfraColor : "#1d1d1d";
            return $"<g class=\"{Class(p.Mark)}\"><title>{ReportFormat.Html(tip)}</title>" +
                   $"<line x1=\"{HistorySvg.F(svg.X(position) - 5)}\" y1=\"{HistorySvg.F(y - 5)}\" " +
                   $"x2=\"{HistorySvg.F(svg.X(position) + 5)}\" y2=\"{HistorySvg.F(y + 5)}\" " +
                   $"stroke=\"{c}\" stroke-width=\"2.5\" /><line x1=\"{HistorySvg.F(svg.X(position) - 5)}\" y1=\"{HistorySvg.F(y + 5)}\" " +
                   $"x2=\"{HistorySvg.F(svg.X(position) + 5)}\" y2=\"{HistorySvg.F(y - 5)}\" stroke=\"{c}\" stroke-width=\"2.5\" /></g>";
        }
        var cy = HistorySvg.F(svg.Y(v));
        var sb = new StringBuilder();
        sb.Append($"<g class=\"{Class(p.Mark)}\"><title>{ReportFormat.Html(tip)}</title>");
        sb.Append($"<circle cx=\"{x}\" cy=\"{cy}\" r=\"3.5\" fill=\"{color}\" />");
        var ring = p.Mark switch
        {
            TrendMark.Regression => RegressionColor,
            TrendMark.Improvement => ImprovementColor,
            TrendMark.InfraFailure => InfraColor,
            TrendMark.Failed => "#1d1d1d",
            _ => null,
        };
        if (ring is not null) sb.Append($"<circle cx=\"{x}\" cy=\"{cy}\" r=\"8\" fill=\"none\" stroke=\"{ring}\" stroke-width=\"2.5\" />");
        return sb.Append("</g>").ToString();
    }

    public static string Class(TrendMark mark) => mark switch
    {
        TrendMark.Regression => "point regression",
        TrendMark.Improvement => "point improvement",
        TrendMark.InfraFailure => "point infra-failure",
        TrendMark.Failed => "point failed",
        _ => "point",
    };

    public static string Tooltip(TrendSeries s, TrendPoint p, int position, double k)
    {
        var value = p.Value is { } v ? ReportFormat.Number(v) : "no value";
        var baseline = p.Band is { } b
            ? $"; baseline {ReportFormat.Number(b.Median)} ± {ReportFormat.Number(b.RelativeSigma * 100 * k)} % ({ReportFormat.Number(p.Sigmas)}σ)"
            : "; no baseline yet";
        var mark = p.Mark == TrendMark.Normal ? "" : $" [{p.Mark}]";
        return $"#{position} run {p.RunId} · commit {Or(p.Commit)} · image {Or(p.Image)} · c={s.Concurrency}: {s.Metric} {value}{baseline}{mark}";
    }

    private static string Or(string text) => text.Length > 0 ? text : "–";
}
