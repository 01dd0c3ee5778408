using System.Globalization;
using System.Text;

namespace Disagg.Harness.Reporting;

/// <summary>
/// The plot frame the history charts (<see cref="TrendChart"/>, <see cref="ParetoChart"/>) share: a fixed-size SVG with
/// title, grid, ticks, axis labels and legend, styled by presentation attributes only (no CSS, no script), so one HTML
/// file reads the same under a strict Content-Security-Policy. Coordinates are invariant and rounded: output is deterministic.
/// </summary>
public sealed class HistorySvg
{
    public const int Width = 640, Height = 320;
    private const int Left = 70, Right = 20, Top = 46, Bottom = 48;
    public static readonly IReadOnlyList<string> Palette = SvgChart.Palette;

    private readonly StringBuilder _sb = new();
    private readonly double _x0, _x1, _y0, _y1;

    public HistorySvg(string title, string xLabel, string yLabel, (double Min, double Max) x, (double Min, double Max) y,
        IReadOnlyList<(double Value, string Label)> xTicks, bool yFromZero)
    {
        (_x0, _x1) = x.Max - x.Min < 1e-12 ? (x.Min - 1, x.Max + 1) : x;
        var (ylo, yhi, yTicks) = Axis(y.Min, y.Max, yFromZero);
        (_y0, _y1) = (ylo, yhi);
        _sb.Append($"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" ")
           .Append($"role=\"img\" aria-label=\"{ReportFormat.Html(title)}\">\n<title>{ReportFormat.Html(title)}</title>\n");
        _sb.Append($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\" stroke=\"#e5e5e5\" />\n");
        _sb.Append($"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" {Font(13, "#1d1d1d")} font-weight=\"600\">{ReportFormat.Html(title)}</text>\n");
        foreach (var (v, label) in yTicks)
        {
            var py = F(Y(v));
            _sb.Append($"<line x1=\"{Left}\" y1=\"{py}\" x2=\"{Width - Right}\" y2=\"{py}\" stroke=\"#e3e3e3\" />")
               .Append($"<text x=\"{Left - 6}\" y=\"{py}\" dy=\"0.32em\" text-anchor=\"end\" {Font(10.5, "#444444")}>{ReportFormat.Html(label)}</text>\n");
        }
        foreach (var (v, label) in xTicks)
        {
            var px = F(X(v));
            _sb.Append($"<line x1=\"{px}\" y1=\"{Top}\" x2=\"{px}\" y2=\"{Height - Bottom}\" stroke=\"#efefef\" />")
               .Append($"<text x=\"{px}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" {Font(10.5, "#444444")}>{ReportFormat.Html(label)}</text>\n");
        }
        _sb.Append($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#444444\" />\n")
           .Append($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#444444\" />\n")
           .Append($"<text x=\"{F(Left + (Width - Left - Right) / 2.0)}\" y=\"{Height - 10}\" text-anchor=\"middle\" {Font(11.5, "#333333")}>")
           .Append($"{ReportFormat.Html(xLabel)}</text>\n")
           .Append($"<text transform=\"translate(16 {F(Top + (Height - Top - Bottom) / 2.0)}) rotate(-90)\" text-anchor=\"middle\" ")
           .Append($"{Font(11.5, "#333333")}>{ReportFormat.Html(yLabel)}</text>\n");
    }

    /// <summary>The lowest value of the y axis (where markers of runs without a value sit).</summary>
    public double YAxisMin => _y0;

    public double X(double v) => Left + (Width - Left - Right) * (v - _x0) / (_x1 - _x0);

    public double Y(double v) => Top + (Height - Top - Bottom) * (1 - (v - _y0) / (_y1 - _y0));

    public HistorySvg Raw(string element)
    {
        _sb.Append(element).Append('\n');
        return this;
    }

    /// <summary>A legend row under the title: coloured swatches with names, left to right.</summary>
    public HistorySvg Legend(IReadOnlyList<(string Name, string Color, bool Dashed)> entries)
    {
        var x = Left;
        foreach (var (name, color, dashed) in entries)
        {
            var dash = dashed ? " stroke-dasharray=\"4 3\"" : "";
            _sb.Append($"<line x1=\"{x}\" y1=\"32\" x2=\"{x + 16}\" y2=\"32\" stroke=\"{color}\" stroke-width=\"3\"{dash} />")
               .Append($"<text x=\"{x + 20}\" y=\"32\" dy=\"0.32em\" {Font(11, "#333333")}>{ReportFormat.Html(name)}</text>\n");
            x += 30 + (int)Math.Ceiling(name.Length * 6.2);
        }
        return this;
    }

    public override string ToString() => _sb + "</svg>";

    public static string Font(double size, string fill) =>
        $"font-family=\"system-ui, sans-serif\" font-size=\"{size.ToString(CultureInfo.InvariantCulture)}\" fill=\"{fill}\"";

    public static string F(double v) => Math.Round(v, 1).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A nice linear axis over [min, max] (from zero when asked), with about five ticks.</summary>
    public static (double Min, double Max, List<(double V, string Label)> Ticks) Axis(double min, double max, bool fromZero)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) (min, max) = (0, 1);
        if (fromZero && min > 0) min = 0;
        if (max - min < 1e-12)
        {
            var pad = Math.Max(Math.Abs(max) * 0.05, 1e-6);
            (min, max) = (min - pad, max + pad);
        }
        var raw = (max - min) / 5;
        var exp = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var f = raw / exp;
        var step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * exp;
        min = Math.Floor(min / step) * step;
        max = Math.Ceiling(max / step - 1e-9) * step;
        if (max - min < step * 2) max = min + step * 2;
        var ticks = new List<(double, string)>();
        for (var i = 0; min + i * step <= max + step / 2; i++)
        {
            var v = min + i * step;
            ticks.Add((v, Math.Abs(v) >= 10000 ? (v / 1000).ToString("0.##", CultureInfo.InvariantCulture) + "k"
                : Math.Round(v, 6).ToString("0.######", CultureInfo.InvariantCulture)));
        }
        return (min, max, ticks);
    }
}
