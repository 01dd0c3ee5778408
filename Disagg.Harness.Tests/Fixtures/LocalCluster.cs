namespace Disagg.Harness.Tests.Fixtures;

/// <summary>Facts about the local cluster started by scripts/local-cluster.sh, for tests that poke at it.</summary>
public static class LocalCluster
{
    public static string StateDir =>
        Environment.GetEnvironmentVariable("DISAGG_CLUSTER_STATE") is { Length: > 0 } s ? s : Path.Combine(FixturePaths.RepoRoot, ".local-cluster");

    public static string Script => Path.Combine(FixturePaths.RepoRoot, "scripts", "local-cluster.sh");

    /// <summary>A copy of clusters/local.yaml with some lines replaced, written to a temp file.</summary>
    public static string ProfileVariant(Func<string, string> edit)
    {
        var text = edit(File.ReadAllText(Path.Combine(FixturePaths.RepoRoot, "clusters", "local.yaml")));
        var path = Path.Combine(Path.GetTempPath(), $"disagg-profile-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    public const string Sim = "dotnet {repo}/Disagg.Sim/bin/Debug/net10.0/Disagg.Sim.dll";
}
