using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>
/// Reads the schema's space-separated <c>K=V K2=V2</c> strings (or a mapping) into an ordered dictionary. Names
/// must be POSIX environment variable names (they follow <c>export</c> unquoted in the launchers); values may be
/// anything but NUL and other controls, since the renderer quotes them.
/// </summary>
public static class EnvString
{
    public static IReadOnlyDictionary<string, string> Parse(YamlSection s, string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var node = s.Raw(key);
        if (node is YamlMappingNode)
        {
            var map = s.Section(key);
            foreach (var k in map.Keys.ToList())
                if (map.CheckName(map.KeyNode(k), k, k, Names.EnvVar)) result[k] = map.String(k) ?? "";
            CheckSize(s, node, key, result);
            return result;
        }
        var text = s.String(key);
        if (string.IsNullOrWhiteSpace(text)) return result;
        foreach (var pair in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                s.Error(node, key, $"'{Names.Show(pair)}' is not NAME=VALUE");
                continue;
            }
            if (s.CheckName(node, key, pair[..eq], Names.EnvVar)) result[pair[..eq]] = pair[(eq + 1)..];
        }
        CheckSize(s, node, key, result);
        return result;
    }

    /// <summary>Every launcher repeats its environment, so one section's size is bounded.</summary>
    internal static void CheckSize(YamlSection s, YamlNode? at, string key, IReadOnlyDictionary<string, string> env)
    {
        var chars = env.Sum(kv => (long)kv.Key.Length + kv.Value.Length + 1);
        if (chars > InputLimits.MaxEnvironmentChars)
            s.Error(at, key, $"has {chars} characters of names and values; the limit is {InputLimits.MaxEnvironmentChars} (docs/limits.md)");
    }
}
