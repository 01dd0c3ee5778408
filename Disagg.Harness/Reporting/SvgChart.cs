using System.Globalization;
using System.Text;

namespace Disagg.Harness.Reporting;

/// <summary>
/// Renders a <see cref="Chart"/> as one inline SVG element: axes with ticks and labels, grid, a legend, escaped text and
/// nothing external. Output is XML-well-formed and deterministic (invariant numbers, fixed size).
/// </summary>
public static class SvgChart
{
    public const int Width = 410, Height = 290;
    private const int Left = 64, Right = 18, Bottom = 46, LegendTop = 30, LegendRow = 16;

    public static readonly IReadOnlyList<string> Palette = ["#1f6fb4", "#d62728", "#2a9d3a", "#e67e00", "#8e44ad", "#7f6a3c"];

    // Text size and colour as SVG presentation attributes besides the class: a strict Content-Security-Policy or a
    // missing report.css then still gives legible charts whose legend entries fit the space laid out for them.
    private static readonly Dictionary<string, string> TextStyle = new()
    {
        ["ct"] = Attrs("ct", "13", "#1d1d1d", bold: true),
        ["tk"] = Attrs("tk", "10.5", "#444444"),
        ["al"] = Attrs("al", "11.5", "#333333"),
        ["lg"] = Attrs("lg", "11", "#333333"),
        ["pl"] = Attrs("pl", "10", "#555555"),
    };

    private static string Attrs(string cls, string size, string fill, bool bold = false) =>
        $"class=\"{cls}\" font-family=\"system-ui, sans-serif\" font-size=\"{size}\"{(bold ? " font-weight=\"600\"" : "")} fill=\"{fill}\"";

    public static string Render(Chart chart)
    {
        var points = chart.Series.SelectMany(s => s.Points).ToList();
        var xs = points.Select(p => p.X).Concat(chart.Rules.Where(r => r.Vertical).Select(r => r.Value)).ToList();
        var ys = points.Select(p => p.Y).Concat(chart.Rules.Where(r => !r.Vertical).Select(r => r.Value)).ToList();

        var legend = chart.Series.Select(s => (s.Name, s.Color, s.Dashed))
            .Concat(chart.Rules.Select(r => (r.Name, r.Color, Dashed: true))).ToList();
        var legendRows = LayoutLegend(legend.Select(l => l.Name).ToList(), out var legendPos);
        var top = LegendTop + legendRows * LegendRow + 8;
        var plotW = Width - Left - Right;
        var plotH = Height - top - Bottom;

        var logX = chart.ConcurrencyAxis && xs.Count > 0 && xs.All(x => x > 0) && xs.Max() / xs.Min() >= 8;
        var (x0, x1, xTicks) = logX ? LogAxis(xs) : chart.ConcurrencyAxis && xs.Distinct().Count() is > 0 and <= 10 ? DataAxis(xs) : LinearAxis(xs);
        var (y0, y1, yTicks) = LinearAxis(ys);
        double Tx(double x) => Left + plotW * (logX ? (Math.Log2(x) - Math.Log2(x0)) / (Math.Log2(x1) - Math.Log2(x0)) : (x - x0) / (x1 - x0));
        double Ty(double y) => top + plotH * (1 - (y - y0) / (y1 - y0));

        var sb = new StringBuilder();
        sb.Append($"<svg class=\"chart\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" "
            + $"aria-label=\"{ReportFormat.Html(chart.Title)}\">\n");
        sb.Append($"<title>{ReportFormat.Html(chart.Title)}</title>\n");
        sb.Append($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\" />\n");
        sb.Append($"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" {TextStyle["ct"]}>{ReportFormat.Html(chart.Title)}</text>\n");

        // grid and ticks
        sb.Append("<g class=\"grid\">\n");
        foreach (var (v, label) in yTicks)
        {
            var y = F(Ty(v));
            sb.Append($"<line x1=\"{Left}\" y1=\"{y}\" x2=\"{Left + plotW}\" y2=\"{y}\" stroke=\"#e3e3e3\" />");
            sb.Append($"<text x=\"{Left - 6}\" y=\"{y}\" dy=\"0.32em\" text-anchor=\"end\" {TextStyle["tk"]}>{ReportFormat.Html(label)}</text>\n");
        }
        foreach (var (v, label) in xTicks)
        {
            var x = F(Tx(v));
            sb.Append($"<line x1=\"{x}\" y1=\"{top}\" x2=\"{x}\" y2=\"{top + plotH}\" stroke=\"#efefef\" />");
            sb.Append($"<line x1=\"{x}\" y1=\"{top + plotH}\" x2=\"{x}\" y2=\"{top + plotH + 5}\" stroke=\"#444444\" />");
            sb.Append($"<text x=\"{x}\" y=\"{top + plotH + 17}\" text-anchor=\"middle\" {TextStyle["tk"]}>{ReportFormat.Html(label)}</text>\n");
        }
        sb.Append("</g>\n");
        // axes
        sb.Append($"<line x1=\"{Left}\" y1=\"{top}\" x2=\"{Left}\" y2=\"{top + plotH}\" stroke=\"#444444\" />\n");
        sb.Append($"<line x1=\"{Left}\" y1=\"{top + plotH}\" x2=\"{Left + plotW}\" y2=\"{top + plotH}\" stroke=\"#444444\" />\n");
        sb.Append($"<text x=\"{F(Left + plotW / 2.0)}\" y=\"{Height - 8}\" text-anchor=\"middle\" {TextStyle["al"]}>")
          .Append($"{ReportFormat.Html(chart.XLabel)}{(logX ? " (log scale)" : "")}</text>\n");
        sb.Append($"<text transform=\"translate(14 {F(top + plotH / 2.0)}) rotate(-90)\" text-anchor=\"middle\" {TextStyle["al"]}>")
          .Append($"{ReportFormat.Html(chart.YLabel)}</text>\n");

        // reference lines
        foreach (var r in chart.Rules)
        {
            var color = Palette[r.Color % Palette.Count];
            var (ax, ay, bx, by) = r.Vertical
                ? (Tx(r.Value), (double)top, Tx(r.Value), (double)(top + plotH))
                : (Left, Ty(r.Value), Left + plotW, Ty(r.Value));
            var title = ReportFormat.Html($"{r.Name}: {ReportFormat.Number(r.Value)}");
            sb.Append($"<line class=\"baseline\" x1=\"{F(ax)}\" y1=\"{F(ay)}\" x2=\"{F(bx)}\" y2=\"{F(by)}\" stroke=\"{color}\" "
                + $"stroke-width=\"1.5\" stroke-dasharray=\"6 4\" opacity=\"0.8\"><title>{title}</title></line>\n");
        }

        // series
        foreach (var s in chart.Series)
        {
            var color = Palette[s.Color % Palette.Count];
            var path = string.Join(' ', s.Points.Select(p => $"{F(Tx(p.X))},{F(Ty(p.Y))}"));
            if (s.Points.Count > 1)
                sb.Append($"<polyline class=\"series\" points=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\""
                    + $"{(s.Dashed ? " stroke-dasharray=\"6 4\" opacity=\"0.8\"" : "")} />\n");
            if (s.Dashed) continue;
            foreach (var p in s.Points)
            {
                var tip = $"{s.Name}: {ReportFormat.Number(p.Y)} at {chart.XLabel} {ReportFormat.Number(p.X)}";
                sb.Append($"<circle cx=\"{F(Tx(p.X))}\" cy=\"{F(Ty(p.Y))}\" r=\"3.5\" fill=\"{color}\"><title>{ReportFormat.Html(tip)}</title></circle>");
                if (p.Label is not null)
                    sb.Append($"<text x=\"{F(Tx(p.X) + 6)}\" y=\"{F(Ty(p.Y) - 6)}\" {TextStyle["pl"]}>{ReportFormat.Html(p.Label)}</text>");
                sb.Append('\n');
            }
        }

        // legend
        for (var i = 0; i < legend.Count; i++)
        {
            var (name, c, dashed) = legend[i];
            var (lx, row) = legendPos[i];
            var ly = LegendTop + row * LegendRow;
            var color = Palette[c % Palette.Count];
            sb.Append($"<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{lx + 18}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\""
                + $"{(dashed ? " stroke-dasharray=\"4 3\"" : "")} />");
            sb.Append($"<text x=\"{lx + 22}\" y=\"{ly}\" dy=\"0.32em\" {TextStyle["lg"]}>{ReportFormat.Html(name)}</text>\n");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Places legend entries left to right, wrapping; returns the number of rows.</summary>
    private static int LayoutLegend(IReadOnlyList<string> names, out List<(int X, int Row)> positions)
    {
        positions = [];
        int x = Left, row = 0;
        foreach (var name in names)
        {
            var w = 22 + (int)Math.Ceiling(name.Length * 6.2) + 14;
            if (x + w > Width - Right && x > Left) { x = Left; row++; }
            positions.Add((x, row));
            x += w;
        }
        return names.Count == 0 ? 0 : row + 1;
    }

    private static (double Min, double Max, List<(double V, string Label)> Ticks) LinearAxis(IReadOnlyList<double> values)
    {
        double min = values.Count == 0 ? 0 : values.Min(), max = values.Count == 0 ? 1 : values.Max();
        if (min > 0) min = 0;
        if (max < 0) max = 0;
        if (max - min < 1e-12) max = min + 1;
        var step = NiceStep((max - min) / 5);
        min = Math.Floor(min / step) * step;
        max = Math.Ceiling(max / step - 1e-9) * step;
        if (max - min < step * 2) max = min + step * 2;
        var ticks = new List<(double, string)>();
        for (var i = 0; min + i * step <= max + step / 2; i++) ticks.Add((min + i * step, TickLabel(min + i * step)));
        return (min, max, ticks);
    }

    private static (double Min, double Max, List<(double V, string Label)> Ticks) DataAxis(IReadOnlyList<double> values)
    {
        var distinct = values.Distinct().Order().ToList();
        var pad = distinct.Count == 1 ? Math.Max(1, Math.Abs(distinct[0]) * 0.5) : (distinct[^1] - distinct[0]) * 0.08;
        double min = distinct[0] - pad, max = distinct[^1] + pad;
        return (min, max, distinct.Select(v => (v, ReportFormat.Number(v))).ToList());
    }

    private static (double Min, double Max, List<(double V, string Label)> Ticks) LogAxis(IReadOnlyList<double> values)
    {
        var distinct = values.Distinct().Order().ToList();
        double min = distinct[0] / Math.Pow(2, 0.35), max = distinct[^1] * Math.Pow(2, 0.35);
        var ticks = distinct.Count <= 10
            ? distinct
            : Enumerable.Range((int)Math.Ceiling(Math.Log2(min)), (int)Math.Floor(Math.Log2(max)) - (int)Math.Ceiling(Math.Log2(min)) + 1)
                .Select(e => Math.Pow(2, e)).ToList();
        return (min, max, ticks.Select(v => (v, ReportFormat.Number(v))).ToList());
    }

    private static double NiceStep(double raw)
    {
        var exp = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var f = raw / exp;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * exp;
    }

    private static string TickLabel(double v)
    {
        if (Math.Abs(v) >= 10000) return (v / 1000).ToString("0.##", CultureInfo.InvariantCulture) + "k";
        return Math.Round(v, 6).ToString("0.######", CultureInfo.InvariantCulture);
    }

    private static string F(double v) => Math.Round(v, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
