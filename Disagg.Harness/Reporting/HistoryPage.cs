using System.Globalization;
using System.Text;

namespace Disagg.Harness.Reporting;

/// <summary>
/// The single-file HTML shell of the history pages (trend.html, pareto.html, compare.html): no stylesheet, no script, no
/// inline style and no external URL; tables and colours use HTML presentation attributes and the charts SVG presentation
/// attributes, so the file opens offline and reads the same under Jenkins' default Content-Security-Policy. XHTML-style
/// (every element closed, XML entities only), so tests can check it with an XML parser.
/// </summary>
public static class HistoryPage
{
    public static string Render(string title, string meta, string body, DateTimeOffset generatedAt)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>")
          .Append(ReportFormat.Html(title)).Append("</title>\n</head>\n");
        sb.Append("<body bgcolor=\"#fafafa\" text=\"#1d1d1d\">\n<font face=\"system-ui, sans-serif\">\n");
        sb.Append("<h1>").Append(ReportFormat.Html(title)).Append("</h1>\n<p>").Append(meta).Append(" · generated ")
          .Append(generatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(" UTC</p>\n");
        sb.Append(body);
        sb.Append("</font>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>A table with borders and a grey header row, by attributes.</summary>
    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string cssClass, Func<int, string?>? rowColor = null)
    {
        var sb = new StringBuilder();
        sb.Append($"<table class=\"{cssClass}\" border=\"1\" cellpadding=\"4\" cellspacing=\"0\" bgcolor=\"#ffffff\">\n<tr bgcolor=\"#f0f0f0\">");
        foreach (var h in header) sb.Append("<th align=\"left\">").Append(ReportFormat.Html(h)).Append("</th>");
        sb.Append("</tr>\n");
        var i = 0;
        foreach (var row in rows)
        {
            var color = rowColor?.Invoke(i++);
            sb.Append(color is null ? "<tr>" : $"<tr bgcolor=\"{color}\">");
            foreach (var cell in row) sb.Append("<td>").Append(cell).Append("</td>");
            sb.Append("</tr>\n");
        }
        return sb.Append("</table>\n").ToString();
    }

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A commit shortened to 10 characters for tables (the full one stays in tooltips).</summary>
    public static string Short(string commit) => commit.Length > 10 ? commit[..10] : commit;
}
