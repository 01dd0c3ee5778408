using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>
/// Finds every <c>&lt;placeholder&gt;</c> scalar of a config outside <c>worker_config</c> (whose tree goes to
/// trtllm-serve verbatim). The loader turns these values into "unset"; <see cref="PlaceholderCheck"/> then says
/// which variable must fill the ones a job needs.
/// </summary>
public static class PlaceholderScanner
{
    public static IReadOnlyList<PlaceholderField> Scan(YamlMappingNode root)
    {
        var found = new List<PlaceholderField>();
        Walk(root, "", found);
        return found;
    }

    private static void Walk(YamlNode node, string path, List<PlaceholderField> found)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name }) continue;
                    if (path.Length == 0 && name == "worker_config") continue;
                    Walk(value, path.Length == 0 ? name : $"{path}.{name}", found);
                }
                break;
            case YamlSequenceNode list:
                for (var i = 0; i < list.Children.Count; i++) Walk(list.Children[i], $"{path}[{i}]", found);
                break;
            case YamlScalarNode { Value: { } text } scalar when Placeholder.Is(text.Trim()):
                found.Add(new PlaceholderField(path, text.Trim(), (int)scalar.Start.Line, (int)scalar.Start.Column));
                break;
        }
    }
}
