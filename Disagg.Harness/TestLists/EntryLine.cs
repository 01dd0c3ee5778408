using System.Globalization;
using System.Text.RegularExpressions;

namespace Disagg.Harness.TestLists;

/// <summary>
/// The text of one entry: a node id or test id followed by markers (<c>TIMEOUT (N)</c>, <c>ISOLATION</c>,
/// <c>SKIP (reason)</c>, optionally <c>SKIP (reason) until 2027-01-31</c>, other upper-case words), comma- or space-separated.
/// </summary>
internal sealed record EntryLine(string Id, int? TimeoutMinutes, bool Isolation, string? SkipReason, IReadOnlyList<string> OtherMarkers, string? GpuScope)
{
    private static readonly Regex Marker = new(
        @"\G[\s,]*(?:TIMEOUT\s*\((?<t>\d{1,6})\)|SKIP\s*\((?<skip>.*)\)(?:\s+until\s+(?<until>\S+))?\s*$|(?<word>[A-Z][A-Z_]*))",
        RegexOptions.CultureInvariant);

    /// <summary>The last day the waiver holds (<c>until 2027-01-31</c>); null for a waiver without a date.</summary>
    public DateOnly? SkipUntil { get; init; }
    private static readonly Regex FullPrefix = new(@"^full:(?<gpu>[^/\s]+)/(?<rest>.+)$", RegexOptions.CultureInvariant);

    /// <summary>Parses the entry, or returns the reason it cannot be read.</summary>
    public static (EntryLine? Entry, string? Error) Parse(string text)
    {
        text = text.Trim();
        var space = text.IndexOfAny([' ', '\t']);
        var id = space < 0 ? text : text[..space];
        var rest = space < 0 ? "" : text[space..];
        string? gpu = null;
        if (FullPrefix.Match(id) is { Success: true } full)
        {
            gpu = full.Groups["gpu"].Value;
            id = full.Groups["rest"].Value;
        }
        int? timeout = null;
        string? skip = null;
        DateOnly? until = null;
        var isolation = false;
        var others = new List<string>();
        var at = 0;
        while (at < rest.Length)
        {
            if (rest[at..].Trim(' ', '\t', ',').Length == 0) break;
            var m = Marker.Match(rest, at);
            if (!m.Success || m.Length == 0)
                return (null, $"cannot read '{rest[at..].Trim()}' after '{id}'; expected markers TIMEOUT (minutes), ISOLATION or SKIP (reason)");
            if (m.Groups["t"].Success) timeout = int.Parse(m.Groups["t"].Value, CultureInfo.InvariantCulture);
            else if (m.Groups["skip"].Success)
            {
                skip = m.Groups["skip"].Value.Trim();
                if (m.Groups["until"].Success)
                {
                    if (!DateOnly.TryParseExact(m.Groups["until"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                        return (null, $"cannot read the waiver's date '{m.Groups["until"].Value}'; "
                                      + $"write SKIP ({skip}) until YYYY-MM-DD, e.g. until 2027-01-31");
                    until = day;
                }
            }
            else if (m.Groups["word"].Value == "ISOLATION") isolation = true;
            else if (m.Groups["word"].Value is "TIMEOUT" or "SKIP")
                return (null, $"'{m.Groups["word"].Value}' needs a value in parentheses, e.g. TIMEOUT (120) or SKIP (https://bug/123)");
            else others.Add(m.Groups["word"].Value);
            at = m.Index + m.Length;
        }
        if (timeout is 0) return (null, "TIMEOUT must be at least 1 minute");
        return (new EntryLine(id, timeout, isolation, skip, others, gpu) { SkipUntil = until }, null);
    }
}
