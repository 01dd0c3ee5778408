using System.Globalization;
using System.Text.RegularExpressions;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.TestLists;

/// <summary>One selected test: its id, where it was listed, and the markers that came with it.</summary>
public sealed record TestListEntry(string TestId, string File, int Line, int? TimeoutMinutes, string? SkipReason);

/// <summary>
/// The native list format: one test id per line, <c>#</c> comments (whole-line and trailing), blank
/// lines, an optional <c>TIMEOUT (N)</c> marker in minutes and <c>SKIP (reason)</c> waivers. The old
/// harness's pytest node ids map to the same ids.
/// </summary>
public static partial class TestListParser
{
    [GeneratedRegex(@"^(?:[\w/.]*/)?test_disagg\.py::TestDisaggBenchmark::test_(?:benchmark|accuracy|stress)\[(?<id>[^\]]+)\]$")]
    private static partial Regex PytestNodeId();

    [GeneratedRegex(@"^(?<id>\S+)(?:\s+TIMEOUT\s*\((?<t>\d+)\))?(?:\s+SKIP\s*\((?<skip>[^)]*)\))?$")]
    private static partial Regex Entry();

    public static IReadOnlyList<TestListEntry> Parse(string text, string file)
    {
        var entries = new List<TestListEntry>();
        var errors = new List<ConfigError>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0) line = line[..hash];
            line = line.Trim();
            if (line.Length == 0) continue;
            var m = Entry().Match(line);
            if (!m.Success)
            {
                errors.Add(new ConfigError(file, i + 1, 1, "", $"cannot read '{line}'; expected '<test id> [TIMEOUT (minutes)] [SKIP (reason)]'"));
                continue;
            }
            var id = m.Groups["id"].Value;
            if (PytestNodeId().Match(id) is { Success: true } node) id = node.Groups["id"].Value;
            int? timeout = m.Groups["t"].Success ? int.Parse(m.Groups["t"].Value, CultureInfo.InvariantCulture) : null;
            entries.Add(new TestListEntry(id, file, i + 1, timeout, m.Groups["skip"].Success ? m.Groups["skip"].Value : null));
        }
        if (errors.Count > 0) throw new ConfigException(errors);
        return entries;
    }

    public static IReadOnlyList<TestListEntry> Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigException([new ConfigError(path, 0, 0, "", "test list not found; set DISAGG_TEST_LIST or pass --test-list")]);
        return Parse(File.ReadAllText(path), path);
    }
}
