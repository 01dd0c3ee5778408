using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Tests.Fixtures;

/// <summary>
/// The configs, test lists and test-db files copied from NVIDIA/TensorRT-LLM into Fixtures/upstream (origins in its
/// README.md), and the environment a user of the trtllm profile sets to fill their placeholders.
/// </summary>
public static class UpstreamConfigs
{
    public static string Root => FixturePaths.Fixture("upstream");

    /// <summary>upstream's test_configs tree: &lt;test type&gt;/&lt;category&gt;/&lt;stem&gt;.yaml.</summary>
    public static string TestConfigs => Path.Combine(Root, "test_configs");

    /// <summary>Every copied config (test_configs and submit.py's own sample), as paths relative to <see cref="Root"/>.</summary>
    public static IReadOnlyList<string> All() =>
        Directory.EnumerateFiles(Root, "*.yaml", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>What a user sets on a real cluster; submit.py's sample has no metadata.dataset_file, so it names the file itself.</summary>
    public static Func<string, string?> Environment(string relative) => name => name switch
    {
        "DISAGG_MODEL_DIR" => "/lustre/models",
        "DISAGG_DATASET_DIR" => "/lustre/datasets",
        "DISAGG_DATASET_FILE" when relative.StartsWith("submit/", StringComparison.Ordinal) => "/lustre/datasets/sharegpt-1k1k.json",
        "DISAGG_CONTAINER_IMAGE" => "/lustre/images/trtllm-1.2.sqsh",
        "DISAGG_CONTAINER_MOUNT" => "/lustre:/lustre",
        "DISAGG_HF_HOME" => "/lustre/hf",
        _ => null,
    };

    public static DisaggConfig Load(string relative) => ConfigLoader.Load(Path.Combine(Root, relative));

    /// <summary>The config as a run with <see cref="Environment"/> sees it.</summary>
    public static DisaggConfig Resolved(string relative) => EnvironmentOverrides.Apply(Load(relative), Environment(relative)).Config;

    public static ClusterProfile TrtllmProfile() =>
        ClusterProfileLoader.Load(Path.Combine(FixturePaths.RepoRoot, "clusters", "example-real.yaml"), "/repo");

    /// <summary>upstream's test id: &lt;type&gt;_&lt;category&gt;_&lt;stem&gt; inside test_configs, the file name for submit.py's sample.</summary>
    public static string TestId(string relative)
    {
        var parts = relative.Split('/');
        var stem = Path.GetFileNameWithoutExtension(relative);
        return parts[0] == "test_configs" ? $"{parts[1]}_{parts[2]}_{stem}" : stem;
    }
}
