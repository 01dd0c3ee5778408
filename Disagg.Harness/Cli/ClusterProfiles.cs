namespace Disagg.Harness.Cli;

/// <summary>
/// <c>--profile</c> of the verbs: a cluster profile file, or a short name for a checked-in one:
/// <c>local</c> (alias <c>sim</c>) = clusters/local.yaml, <c>real</c> (alias <c>trtllm</c>) = clusters/example-real.yaml.
/// </summary>
public static class ClusterProfiles
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["local"] = "clusters/local.yaml",
        ["sim"] = "clusters/local.yaml",
        ["real"] = "clusters/example-real.yaml",
        ["trtllm"] = "clusters/example-real.yaml",
    };

    /// <summary>The profile file for a name or path; null (with the reason in <paramref name="error"/>) when there is none.</summary>
    public static string? Resolve(string nameOrPath, string repoRoot, out string? error)
    {
        error = null;
        if (Names.TryGetValue(nameOrPath, out var relative)) return Path.Combine(repoRoot, relative);
        if (File.Exists(nameOrPath)) return Path.GetFullPath(nameOrPath);
        error = $"cluster profile '{nameOrPath}' not found: give a profile file or one of {string.Join(", ", Names.Keys)}";
        return null;
    }
}
