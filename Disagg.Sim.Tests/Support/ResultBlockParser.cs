using System.Globalization;
using System.Text.RegularExpressions;

namespace Disagg.Sim.Tests.Support;

/// <summary>
/// Parses result blocks out of benchmark output the way the harness's <c>BenchmarkLogParser</c> does: optional
/// <c>N: </c> prefix, trailing whitespace ignored, labels matched by text.
/// </summary>
internal static partial class ResultBlockParser
{
    public static IReadOnlyList<IReadOnlyDictionary<string, double>> ParseAll(string output)
    {
        var blocks = new List<IReadOnlyDictionary<string, double>>();
        Dictionary<string, double>? current = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = Prefix().Replace(raw, string.Empty).TrimEnd();
            if (line == "============ Serving Benchmark Result ============")
            {
                current = new Dictionary<string, double>(StringComparer.Ordinal);
                continue;
            }

            if (current is null)
            {
                continue;
            }

            if (line == new string('=', 50))
            {
                blocks.Add(current);
                current = null;
                continue;
            }

            var match = LabelValue().Match(line);
            if (match.Success)
            {
                current[match.Groups[1].Value.Trim()] = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }

        return blocks;
    }

    [GeneratedRegex(@"^\d+: ")]
    private static partial Regex Prefix();

    [GeneratedRegex(@"^(.+?:)\s+(-?[\d\.]+)$")]
    private static partial Regex LabelValue();
}
