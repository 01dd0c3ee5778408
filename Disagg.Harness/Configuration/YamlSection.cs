using System.Globalization;
using Disagg.Harness.Common;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>
/// A typed, error-collecting view of one YAML mapping. Every getter records the key as known, so
/// <see cref="ReportUnknownKeys"/> can name typos with the nearest valid key. Errors never throw:
/// they are added to the shared list so a file reports all its problems at once.
/// </summary>
public sealed class YamlSection
{
    private readonly YamlMappingNode? _node;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public YamlSection(string file, string path, YamlMappingNode? node, List<ConfigError> errors)
    {
        File = file;
        Path = path;
        _node = node;
        Errors = errors;
    }

    public string File { get; }
    public string Path { get; }
    public List<ConfigError> Errors { get; }
    public bool Exists => _node is not null;
    public YamlMappingNode? Node => _node;

    public static int LineOf(YamlNode node) => (int)node.Start.Line;
    public static int ColumnOf(YamlNode node) => (int)node.Start.Column;

    private string KeyPath(string key) => string.IsNullOrEmpty(Path) ? key : $"{Path}.{key}";

    public void Error(YamlNode? at, string key, string message) =>
        Errors.Add(new ConfigError(File, at is null ? LineOf0() : LineOf(at), at is null ? ColumnOf0() : ColumnOf(at), KeyPath(key), message));

    private int LineOf0() => _node is null ? 0 : LineOf(_node);
    private int ColumnOf0() => _node is null ? 0 : ColumnOf(_node);

    public YamlNode? Raw(string key)
    {
        _known.Add(key);
        if (_node is null) return null;
        foreach (var (k, v) in _node.Children)
            if (k is YamlScalarNode s && s.Value == key) return IsNull(v) ? null : v;
        return null;
    }

    public bool Has(string key) => Raw(key) is not null;

    private static bool IsNull(YamlNode v) =>
        v is YamlScalarNode s && s.Style == YamlDotNet.Core.ScalarStyle.Plain &&
        (s.Value is null || s.Value is "" or "~" or "null" or "Null" or "NULL");

    private YamlScalarNode? Scalar(string key, bool required, string expected)
    {
        var node = Raw(key);
        if (node is null)
        {
            // A key of a missing section is not reported: the missing section is, at its parent's line.
            if (required && _node is not null) Error(_node, key, $"is required ({expected}) but missing");
            return null;
        }
        if (node is YamlScalarNode scalar) return scalar;
        Error(node, key, $"expected {expected}, got a {(node is YamlSequenceNode ? "list" : "mapping")}");
        return null;
    }

    /// <summary>
    /// A string value, at most <see cref="InputLimits.MaxStringLength"/> characters and free of control characters
    /// other than tab and newline (a NUL cannot reach an environment or a command line intact).
    /// </summary>
    public string? String(string key, bool required = false)
    {
        var s = Scalar(key, required, "a string");
        return s?.Value is { } value && CheckText(s, key, value) ? value : null;
    }

    /// <summary>Records an error and returns false when <paramref name="value"/> is too long or has a forbidden control character.</summary>
    public bool CheckText(YamlNode at, string key, string value)
    {
        if (value.Length > InputLimits.MaxStringLength)
        {
            Error(at, key, $"is {value.Length} characters long; the limit is {InputLimits.MaxStringLength} (docs/limits.md)");
            return false;
        }
        if (Names.HasForbiddenControl(value))
        {
            Error(at, key, $"'{Names.Show(value)}' contains a control character; only tab and newline are allowed in values");
            return false;
        }
        return true;
    }

    /// <summary>Records an error at <paramref name="at"/> when <paramref name="rule"/> refuses <paramref name="name"/>.</summary>
    public bool CheckName(YamlNode? at, string key, string name, Func<string, string?> rule)
    {
        if (rule(name) is not { } problem) return true;
        Error(at, key, problem);
        return false;
    }

    /// <summary>The key node of <paramref name="key"/> in this mapping (for errors about the key itself).</summary>
    public YamlNode? KeyNode(string key) =>
        _node?.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == key);

    public int? Int(string key, bool required = false, int? min = null, int? max = null)
    {
        var s = Scalar(key, required, "an integer");
        if (s is null) return null;
        if (!int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            var huge = s.Value is { Length: > 0 } v && v.TrimStart('-', '+').All(char.IsAsciiDigit);
            Error(s, key, huge ? $"'{Names.Show(s.Value!)}' is out of range{(max is null ? "" : $"; the limit is {max}")}"
                : $"expected an integer, got '{Names.Show(s.Value ?? "")}'");
            return null;
        }
        if (min is not null && value < min)
        {
            Error(s, key, $"must be >= {min}, got {value}");
            return null;
        }
        if (max is not null && value > max)
        {
            Error(s, key, $"must be <= {max}, got {value} (limit in docs/limits.md)");
            return null;
        }
        return value;
    }

    public double? Double(string key, bool required = false)
    {
        var s = Scalar(key, required, "a number");
        if (s is null) return null;
        if (!double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Error(s, key, $"expected a finite number, got '{Names.Show(s.Value ?? "")}'");
            return null;
        }
        return value;
    }

    public bool? Bool(string key, bool required = false)
    {
        var s = Scalar(key, required, "true or false");
        if (s is null) return null;
        switch (s.Value?.ToLowerInvariant())
        {
            case "true" or "yes" or "on": return true;
            case "false" or "no" or "off": return false;
            default:
                Error(s, key, $"expected true or false, got '{Names.Show(s.Value ?? "")}'");
                return null;
        }
    }

    public T? Enum<T>(string key, IReadOnlyDictionary<string, T> values, bool required = false) where T : struct
    {
        var s = Scalar(key, required, "one of " + string.Join(", ", values.Keys));
        if (s?.Value is null) return null;
        if (values.TryGetValue(s.Value, out var v)) return v;
        var near = TextSimilarity.Nearest(s.Value, values.Keys);
        Error(s, key, $"'{Names.Show(s.Value)}' is not one of {string.Join(", ", values.Keys)}" + (near is null ? "" : $" (did you mean '{near}'?)"));
        return null;
    }

    /// <summary>A string restricted to a fixed set (case-sensitive), with a "did you mean" for near misses.</summary>
    public string? OneOf(string key, IReadOnlyList<string> values, bool required = false)
    {
        var s = Scalar(key, required, "one of " + string.Join(", ", values));
        if (s?.Value is null) return null;
        if (values.Contains(s.Value, StringComparer.Ordinal)) return s.Value;
        var near = TextSimilarity.Nearest(s.Value, values);
        Error(s, key, $"'{Names.Show(s.Value)}' is not one of {string.Join(", ", values)}" + (near is null ? "" : $" (did you mean '{near}'?)"));
        return null;
    }

    /// <summary>A list of strings (a YAML list, or one scalar split on commas and spaces).</summary>
    public IReadOnlyList<string>? StringList(string key)
    {
        var node = Raw(key);
        switch (node)
        {
            case null: return null;
            case YamlSequenceNode seq:
                var list = new List<string>();
                foreach (var item in seq.Children)
                {
                    if (item is YamlScalarNode sc) list.Add(sc.Value ?? "");
                    else Error(item, key, $"list entries must be strings, got a {(item is YamlSequenceNode ? "list" : "mapping")}");
                }
                return list;
            case YamlScalarNode scalar:
                return (scalar.Value ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
            default:
                Error(node, key, "expected a list of strings, got a mapping");
                return null;
        }
    }

    public YamlSection Section(string key, bool required = false)
    {
        var node = Raw(key);
        if (node is null && required && _node is not null) Error(_node, key, "is required (a mapping) but missing");
        if (node is not null and not YamlMappingNode)
        {
            Error(node, key, $"expected a mapping, got {(node is YamlSequenceNode ? "a list" : $"'{Names.Show(((YamlScalarNode)node).Value ?? "")}'")}");
            node = null;
        }
        return new YamlSection(File, KeyPath(key), node as YamlMappingNode, Errors);
    }

    public IEnumerable<string> Keys =>
        _node?.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "") ?? [];

    /// <summary>Marks keys that are allowed but ignored (informational fields of the reference schema).</summary>
    public void Allow(params string[] keys)
    {
        foreach (var k in keys) _known.Add(k);
    }

    public void ReportUnknownKeys()
    {
        if (_node is null) return;
        foreach (var (k, _) in _node.Children)
        {
            if (k is not YamlScalarNode key || key.Value is null || _known.Contains(key.Value)) continue;
            var near = TextSimilarity.Nearest(key.Value, _known);
            Error(key, key.Value, "unknown key" + (near is null ? "" : $" (did you mean '{near}'?)"));
        }
    }
}
