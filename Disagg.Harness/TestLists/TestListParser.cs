using System.Text.RegularExpressions;
using Disagg.Harness.Configuration;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.TestLists;

/// <summary>
/// One parser for every list format, detected per file: test-db YAML (a mapping with <c>version</c>) or the
/// line formats, which may mix per line (Disagg test ids, the old harness's node ids, perf-sanity node ids,
/// waiver lines <c>&lt;id&gt; SKIP (url)</c> and <c>full:GPU/&lt;id&gt; SKIP (url)</c>). All errors of a file are
/// thrown together; duplicates are kept once with one warning per id.
/// </summary>
public static partial class TestListParser
{
    [GeneratedRegex(@"^\s*#\s*-\s+(?<entry>\S.*)$")]
    private static partial Regex CommentedEntry();

    [GeneratedRegex(@"^\s*version\s*:", RegexOptions.Multiline)]
    private static partial Regex VersionLine();

    /// <summary>Reads a list; waivers dated before <paramref name="today"/> (default: the UTC date) no longer skip.</summary>
    public static TestList Load(string path, SystemProperties? properties = null, DateOnly? today = null)
    {
        if (!File.Exists(path)) throw new ConfigException([new ConfigError(path, 0, 0, "", "test list not found; set DISAGG_TEST_LIST or pass --test-list")]);
        return Parse(InputFile.Read(path, "test list"), path, properties, today);
    }

    public static TestList Parse(string text, string file, SystemProperties? properties = null, DateOnly? today = null)
    {
        properties ??= SystemProperties.None;
        var day = today ?? DateOnly.FromDateTime(DateTime.UtcNow);
        return IsTestDb(text) ? ParseTestDb(text, file, properties, day) : ParseLines(text, file, properties, day);
    }

    private static bool IsTestDb(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            return VersionLine().IsMatch(line) || line.EndsWith(':') && !line.Contains("::", StringComparison.Ordinal);
        }
        return false;
    }

    private static TestList ParseLines(string text, string file, SystemProperties props, DateOnly today)
    {
        var builder = new Builder(file, today);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0) line = line[..hash];
            if (line.Trim().Length == 0) continue;
            builder.Add(line, i + 1, 1 + line.Length - line.TrimStart().Length, props);
        }
        return builder.Build(TestListFormat.Native);
    }

    private static TestList ParseTestDb(string text, string file, SystemProperties props, DateOnly today)
    {
        var builder = new Builder(file, today);
        var stream = YamlText.Load(text, file, builder.Errors);
        if (stream is null) throw new ConfigException(builder.Errors);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ConfigException([new ConfigError(file, 1, 1, "",
                "expected a test-db mapping: version: 0.0.1 and one context key holding condition/tests blocks")]);
        var contexts = 0;
        foreach (var (k, v) in root.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            if (key == "version")
            {
                if (v is not YamlScalarNode) builder.Error(v, "version", "expected a version string such as 0.0.1");
                continue;
            }
            contexts++;
            if (props.Context is { } wanted && wanted != key)
            {
                builder.Exclude(key, (int)k.Start.Line, $"context '{key}' is not the selected context '{wanted}'");
                continue;
            }
            if (v is not YamlSequenceNode blocks)
            {
                builder.Error(v, key, "expected a list of {condition, tests} blocks");
                continue;
            }
            for (var b = 0; b < blocks.Children.Count; b++)
                ReadBlock(builder, blocks.Children[b], $"{key}[{b}]", props);
        }
        if (contexts == 0) builder.Error(root, "", "no context key: expected e.g. l0_gb200_multi_nodes_disagg_perf_sanity: [ {condition, tests} ]");
        if (props.Context is { } ctx && !root.Children.Keys.OfType<YamlScalarNode>().Any(x => x.Value == ctx))
            builder.Error(root, "", $"context '{ctx}' is not in this file");
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (CommentedEntry().Match(lines[i]) is { Success: true } m)
                builder.Exclude(m.Groups["entry"].Value.Trim(), i + 1, "commented out");
        return builder.Build(TestListFormat.TestDb);
    }

    private static void ReadBlock(Builder builder, YamlNode node, string path, SystemProperties props)
    {
        if (node is not YamlMappingNode block)
        {
            builder.Error(node, path, "expected a mapping with condition and tests");
            return;
        }
        YamlNode? condition = null;
        YamlSequenceNode? tests = null;
        foreach (var (k, v) in block.Children)
        {
            switch ((k as YamlScalarNode)?.Value)
            {
                case "condition": condition = v; break;
                case "tests" when v is YamlSequenceNode seq: tests = seq; break;
                case "tests": builder.Error(v, $"{path}.tests", "expected a list of test entries"); break;
                case var other: builder.Error(k, $"{path}.{other}", "unknown key; expected condition or tests"); break;
            }
        }
        var reason = Conditions.Evaluate(condition, props, builder.File, builder.Errors);
        foreach (var t in tests?.Children ?? [])
        {
            if (t is not YamlScalarNode { Value: { } entry })
            {
                builder.Error(t, $"{path}.tests", "expected a test entry string: <node id> [TIMEOUT (N)] [ISOLATION]");
                continue;
            }
            if (reason is null) builder.Add(entry, (int)t.Start.Line, (int)t.Start.Column, props);
            else builder.Exclude(entry, (int)t.Start.Line, "condition not met: " + reason);
        }
    }

    /// <summary>Collects entries, exclusions, errors and duplicate warnings for one file.</summary>
    private sealed class Builder(string file, DateOnly today)
    {
        private readonly List<ConfigError> _waiverWarnings = [];
        private readonly List<TestListEntry> _entries = [];
        private readonly List<ExcludedEntry> _excluded = [];
        private readonly Dictionary<string, List<int>> _lines = new(StringComparer.Ordinal);

        public string File { get; } = file;
        public List<ConfigError> Errors { get; } = [];

        public void Error(YamlNode at, string path, string message) =>
            Errors.Add(new ConfigError(File, (int)at.Start.Line, (int)at.Start.Column, path, message));

        public void Exclude(string source, int line, string reason) => _excluded.Add(new ExcludedEntry(source, File, line, reason));

        public void Add(string text, int line, int column, SystemProperties props)
        {
            var (parsed, error) = EntryLine.Parse(text);
            if (parsed is null)
            {
                Errors.Add(new ConfigError(File, line, column, "", error!));
                return;
            }
            if (parsed.GpuScope is { } gpu
                && (!props.Values.TryGetValue("gpu", out var actual) || !string.Equals(actual, gpu, StringComparison.OrdinalIgnoreCase)))
            {
                Exclude(text.Trim(), line, $"waiver limited to {gpu}");
                return;
            }
            var resolved = TestIdResolver.Resolve(parsed.Id);
            if (resolved.Error is not null)
            {
                Errors.Add(new ConfigError(File, line, column, "", resolved.Error));
                return;
            }
            if (resolved.Excluded is not null)
            {
                Exclude(parsed.Id, line, resolved.Excluded);
                return;
            }
            var id = resolved.TestId!;
            if (_lines.TryGetValue(id, out var seen))
            {
                seen.Add(line);
                return;
            }
            _lines[id] = [line];
            var skip = parsed.SkipReason;
            string? stale = null;
            if (skip is not null && parsed.SkipUntil is null)
                _waiverWarnings.Add(new ConfigError(File, line, column, "",
                    $"waiver of '{id}' has no expiry date; write SKIP ({skip}) until YYYY-MM-DD so it is looked at again") { IsWarning = true });
            if (skip is not null && parsed.SkipUntil is { } until && until < today)
            {
                stale = $"SKIP ({skip}) until {until:yyyy-MM-dd} ({File}:{line}) expired; the test runs again";
                skip = null;
            }
            _entries.Add(new TestListEntry(id, File, line, parsed.TimeoutMinutes, skip)
            {
                StaleWaiver = stale,
                Source = parsed.Id,
                Isolation = parsed.Isolation,
                Upload = resolved.Upload,
                Mode = resolved.Mode,
                OtherMarkers = parsed.OtherMarkers,
            });
        }

        public TestList Build(TestListFormat format)
        {
            if (Errors.Count > 0) throw new ConfigException(Errors);
            var warnings = _lines
                .Where(kv => kv.Value.Count > 1)
                .OrderBy(kv => kv.Value[0])
                .Select(kv => new ConfigError(File, kv.Value[1], 1, "",
                    $"'{kv.Key}' is listed {kv.Value.Count} times (lines {string.Join(", ", kv.Value)}); it runs once") { IsWarning = true })
                .ToList();
            return new TestList(File, format, _entries, _excluded.OrderBy(e => e.Line).ToList(), [.. warnings, .. _waiverWarnings]);
        }
    }

    /// <summary>Marks entries Ignored with the waiver's reason: every entry of <paramref name="waives"/> that carries SKIP (reason).</summary>
    public static TestList ApplyWaives(TestList list, TestList waives)
    {
        var reasons = waives.Entries.Where(w => w.SkipReason is not null).GroupBy(w => w.TestId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().SkipReason!, StringComparer.Ordinal);
        var stale = waives.Entries.Where(w => w.StaleWaiver is not null).GroupBy(w => w.TestId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().StaleWaiver!, StringComparer.Ordinal);
        return list with
        {
            Entries = list.Entries.Select(e => e.SkipReason is null && reasons.TryGetValue(e.TestId, out var r)
                ? e with { SkipReason = r }
                : e.StaleWaiver is null && stale.TryGetValue(e.TestId, out var s) ? e with { StaleWaiver = s } : e).ToList(),
        };
    }
}
