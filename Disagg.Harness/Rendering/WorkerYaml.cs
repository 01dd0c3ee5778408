using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Rendering;

/// <summary>Writes a worker config tree back as block YAML, keys and values exactly as the user wrote them.</summary>
public static class WorkerYaml
{
    public static string Serialize(YamlMappingNode node)
    {
        var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlStream ends every document with an explicit "..." marker; trtllm-serve does not need it.
        if (text.EndsWith("...\n", StringComparison.Ordinal)) text = text[..^4];
        return text;
    }
}
