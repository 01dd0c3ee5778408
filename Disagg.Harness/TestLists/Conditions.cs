using System.Globalization;
using System.Text.RegularExpressions;
using Disagg.Harness.Configuration;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.TestLists;

/// <summary>
/// Evaluates a test-db <c>condition</c> block (<c>ranges</c> inclusive numeric, <c>wildcards</c> shell globs,
/// case-insensitive, <c>terms</c> exact) against the declared system properties. All parts must hold. A property
/// that a condition needs but nobody declared makes the condition false, and the reason says which.
/// </summary>
internal static class Conditions
{
    /// <summary>Null when the condition holds; otherwise why not. Structural problems are added to <paramref name="errors"/>.</summary>
    public static string? Evaluate(YamlNode? condition, SystemProperties props, string file, List<ConfigError> errors)
    {
        if (condition is null) return null;
        if (condition is not YamlMappingNode map)
        {
            Error(errors, file, condition, "condition", "expected a mapping with ranges, wildcards and/or terms");
            return "invalid condition";
        }
        var reasons = new List<string>();
        foreach (var (k, v) in map.Children)
        {
            var part = (k as YamlScalarNode)?.Value ?? "";
            if (part is not ("ranges" or "wildcards" or "terms"))
            {
                reasons.Add(UnknownPart(part, k, file, errors));
                continue;
            }
            if (v is not YamlMappingNode body)
            {
                if (v is YamlScalarNode { Value: null or "" }) continue;
                Error(errors, file, v, $"condition.{part}", "expected a mapping of property name to constraint");
                continue;
            }
            foreach (var (pk, pv) in body.Children)
            {
                var name = (pk as YamlScalarNode)?.Value ?? "";
                var path = $"condition.{part}.{name}";
                var reason = part switch
                {
                    "ranges" => Range(name, pv, props, file, path, errors),
                    "wildcards" => Wildcard(name, pv, props, file, path, errors),
                    _ => Term(name, pv, props, file, path, errors),
                };
                if (reason is not null) reasons.Add(reason);
            }
        }
        return reasons.Count == 0 ? null : string.Join("; ", reasons.Distinct());
    }

    private static string? Range(string name, YamlNode spec, SystemProperties props, string file, string path, List<ConfigError> errors)
    {
        if (spec is not YamlMappingNode bounds)
        {
            Error(errors, file, spec, path, "expected {gte: N, lte: N}");
            return "invalid range";
        }
        double? gte = null, lte = null;
        foreach (var (bk, bv) in bounds.Children)
        {
            var key = (bk as YamlScalarNode)?.Value;
            if (bv is not YamlScalarNode s || !double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                Error(errors, file, bv, $"{path}.{key}", "expected a number");
                return "invalid range";
            }
            if (key == "gte") gte = n;
            else if (key == "lte") lte = n;
            else
            {
                Error(errors, file, bk, $"{path}.{key}", "unknown bound; expected gte or lte");
                return "invalid range";
            }
        }
        if (!props.Values.TryGetValue(name, out var value)) return Undeclared(name);
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var actual)) return $"{name}={value} is not a number";
        if (gte is { } lo && actual < lo || lte is { } hi && actual > hi)
            return $"{name}={value} is outside [{gte?.ToString(CultureInfo.InvariantCulture) ?? "-inf"}, "
                + $"{lte?.ToString(CultureInfo.InvariantCulture) ?? "inf"}]";
        return null;
    }

    private static string? Wildcard(string name, YamlNode spec, SystemProperties props, string file, string path, List<ConfigError> errors)
    {
        var patterns = spec switch
        {
            YamlScalarNode s => [s.Value ?? ""],
            YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(x => x.Value ?? "").ToList(),
            _ => (List<string>?)null,
        };
        if (patterns is null)
        {
            Error(errors, file, spec, path, "expected a glob pattern or a list of patterns");
            return "invalid wildcard";
        }
        if (!props.Values.TryGetValue(name, out var value)) return Undeclared(name);
        return patterns.Any(p => Glob(p).IsMatch(value)) ? null : $"{name}={value} matches none of [{string.Join(", ", patterns)}]";
    }

    private static string? Term(string name, YamlNode spec, SystemProperties props, string file, string path, List<ConfigError> errors)
    {
        if (spec is not YamlScalarNode s)
        {
            Error(errors, file, spec, path, "expected a single value");
            return "invalid term";
        }
        if (!props.Values.TryGetValue(name, out var value)) return Undeclared(name);
        return string.Equals(value, s.Value, StringComparison.OrdinalIgnoreCase) ? null : $"{name}={value} is not {s.Value}";
    }

    private static string UnknownPart(string part, YamlNode at, string file, List<ConfigError> errors)
    {
        Error(errors, file, at, $"condition.{part}", "unknown condition part; expected ranges, wildcards or terms");
        return "invalid condition";
    }

    private static string Undeclared(string name) => $"system property '{name}' is not declared (pass --property {name}=...)";

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static void Error(List<ConfigError> errors, string file, YamlNode at, string path, string message) =>
        errors.Add(new ConfigError(file, (int)at.Start.Line, (int)at.Start.Column, path, message));
}
