using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Disagg.Sim.Common;

/// <summary>
/// A YAML file loaded as a node tree, so every error can name <c>file:line</c>. Only the keys a caller asks
/// for are read; everything else is ignored.
/// </summary>
internal sealed class YamlFile
{
    private YamlFile(string path, YamlMappingNode root)
    {
        Path = path;
        Root = root;
    }

    public string Path { get; }

    public YamlMappingNode Root { get; }

    public static YamlFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"{path}: file not found");
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw ConfigException.At(path, ex.Start.Line, $"malformed YAML: {Shorten(ex)}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" or "null" or "~" })
        {
            return new YamlFile(path, new YamlMappingNode());
        }

        return stream.Documents[0].RootNode is YamlMappingNode mapping
            ? new YamlFile(path, mapping)
            : throw ConfigException.At(path, stream.Documents[0].RootNode.Start.Line, "expected a mapping of key: value at the top level");
    }

    public static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public static bool IsNull(YamlNode? node) =>
        node is null || node is YamlScalarNode
        {
            Style: not ScalarStyle.SingleQuoted and not ScalarStyle.DoubleQuoted, Value: null or "" or "null" or "~" or "Null" or "NULL"
        };

    public int? Int(YamlMappingNode mapping, string key, string context)
    {
        var node = Child(mapping, key);
        if (IsNull(node))
        {
            return null;
        }

        return node is YamlScalarNode { Value: { } raw } && int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(node!, $"{context}{key} must be an integer, got {Describe(node!)}");
    }

    public int PositiveInt(YamlMappingNode mapping, string key, int fallback, string context = "")
    {
        var value = Int(mapping, key, context) ?? fallback;
        return value > 0 ? value : throw Error(Child(mapping, key)!, $"{context}{key} must be > 0, got {value}");
    }

    public string? String(YamlMappingNode mapping, string key, string context)
    {
        var node = Child(mapping, key);
        if (IsNull(node))
        {
            return null;
        }

        return node is YamlScalarNode scalar ? scalar.Value : throw Error(node!, $"{context}{key} must be a scalar value");
    }

    public bool Bool(YamlMappingNode mapping, string key, bool fallback, string context)
    {
        var node = Child(mapping, key);
        if (IsNull(node))
        {
            return fallback;
        }

        return (node as YamlScalarNode)?.Value?.ToUpperInvariant() switch
        {
            "TRUE" or "YES" or "ON" => true,
            "FALSE" or "NO" or "OFF" => false,
            _ => throw Error(node!, $"{context}{key} must be true or false, got {Describe(node!)}"),
        };
    }

    public YamlMappingNode? Mapping(YamlMappingNode mapping, string key, string context)
    {
        var node = Child(mapping, key);
        if (IsNull(node))
        {
            return null;
        }

        return node as YamlMappingNode ?? throw Error(node!, $"{context}{key} must be a mapping");
    }

    public ConfigException Error(YamlNode node, string message) => ConfigException.At(Path, node.Start.Line, message);

    private static string Describe(YamlNode node) => node is YamlScalarNode s ? $"'{s.Value}'" : node.NodeType.ToString().ToLowerInvariant();

    private static string Shorten(YamlException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        var paren = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && paren > 0 ? message[(paren + 3)..] : message;
    }
}
