using System.Globalization;
using System.Text;

namespace Disagg.Harness.Reporting;

/// <summary>Number and text formatting shared by the reports: invariant culture, escaping per output format.</summary>
public static class ReportFormat
{
    /// <summary>At most two decimals, no thousands separator, invariant: 706.97, 24.4, 16.</summary>
    public static string Number(double value) =>
        double.IsFinite(value) ? Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    public static string Number(double? value) => value is { } v ? Number(v) : "–";

    /// <summary>Shortest round-trip form (the legacy CSV's float column).</summary>
    public static string Raw(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Seconds(double? seconds) => seconds is { } s ? $"{s.ToString("0.0", CultureInfo.InvariantCulture)} s" : "–";

    /// <summary>Escapes text for HTML/SVG element content and attribute values (also valid XML).</summary>
    public static string Html(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default:
                    // Control characters other than tab/newline are not allowed in XML; drop them.
                    if (ch < ' ' && ch != '\t' && ch != '\n' && ch != '\r') break;
                    sb.Append(ch);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Makes text safe inside one Markdown table cell or list item: one line, pipes and markup escaped.</summary>
    public static string Markdown(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 8);
        var oneLine = string.Join(' ', text.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
        foreach (var ch in oneLine)
        {
            if (ch is '|' or '\\' or '`' or '*' or '_' or '<' or '>' or '[' or ']') sb.Append('\\');
            sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>A code span that cannot be broken by backticks in the text.</summary>
    public static string MarkdownCode(string text) =>
        text.Contains('`') ? Markdown(text) : $"`{text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal)}`";

    /// <summary>A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.</summary>
    public static string Csv(string? field)
    {
        if (string.IsNullOrEmpty(field)) return "";
        return field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
    }

    /// <summary>A relative URL for a results-dir path: each segment percent-encoded, '/' kept.</summary>
    public static string RelativeUrl(string path) =>
        string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
