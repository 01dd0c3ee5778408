using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>Reads the schema's space-separated <c>K=V K2=V2</c> strings (or a mapping) into an ordered dictionary.</summary>
public static class EnvString
{
    public static IReadOnlyDictionary<string, string> Parse(YamlSection s, string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var node = s.Raw(key);
        if (node is YamlMappingNode)
        {
            var map = s.Section(key);
            foreach (var k in map.Keys.ToList()) result[k] = map.String(k) ?? "";
            return result;
        }
        var text = s.String(key);
        if (string.IsNullOrWhiteSpace(text)) return result;
        foreach (var pair in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                s.Error(node, key, $"'{pair}' is not NAME=VALUE");
                continue;
            }
            result[pair[..eq]] = pair[(eq + 1)..];
        }
        return result;
    }
}
