namespace Disagg.Harness.Configuration;

/// <summary>
/// Defaults for the config forms upstream's launcher accepts but the harness schema made mandatory: a plain
/// submit.py config has no <c>metadata</c> section (its test id then comes from the file name, its model name
/// from <c>environment.model_path</c>).
/// </summary>
public static class UpstreamForms
{
    /// <summary>The metadata of a config without a <c>metadata</c> section.</summary>
    public static readonly MetadataSection DefaultMetadata =
        new("unknown", "unknown", "", MetadataReader.DefaultSupportedGpus, "") { Declared = false };

    /// <summary>Fills what a config without metadata can still tell: the model name is the last folder of a concrete model path.</summary>
    public static MetadataSection Complete(MetadataSection metadata, EnvironmentSection? environment)
    {
        if (metadata.Declared || environment is null || environment.ModelPath.Length == 0) return metadata;
        var name = Path.GetFileName(environment.ModelPath.TrimEnd('/'));
        return name.Length == 0 ? metadata : metadata with { ModelName = name };
    }
}
