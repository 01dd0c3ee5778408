namespace Disagg.Harness.Tests.Fixtures;

/// <summary>Facts about the local cluster started by scripts/local-cluster.sh, for tests that poke at it.</summary>
public static class LocalCluster
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> FileValues = new(() => ReadEnvFile(EnvFile));

    public static string StateDir =>
        Environment.GetEnvironmentVariable("DISAGG_CLUSTER_STATE") is { Length: > 0 } s ? s : Path.Combine(FixturePaths.RepoRoot, ".local-cluster");

    /// <summary>The file scripts/local-cluster.sh up writes: DISAGG_SSH_*, DISAGG_PERFDB_CONNECTION, DISAGG_SLURM_*.</summary>
    public static string EnvFile => Path.Combine(StateDir, "cluster.env");

    public static string Script => Path.Combine(FixturePaths.RepoRoot, "scripts", "local-cluster.sh");

    /// <summary>
    /// A cluster setting: the environment wins (scripts/test.sh sources cluster.env, a developer may point elsewhere),
    /// else the value in <see cref="EnvFile"/>; null when neither has it.
    /// </summary>
    public static string? Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } set ? set
        : FileValues.Value.TryGetValue(name, out var value) && value.Length > 0 ? value
        : null;

    /// <summary>The NAME=value lines of a cluster.env; empty when the file does not exist.</summary>
    public static IReadOnlyDictionary<string, string> ReadEnvFile(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return values;
        foreach (var line in File.ReadLines(path))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || eq <= 0) continue;
            values[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"');
        }
        return values;
    }

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
