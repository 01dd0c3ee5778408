using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;

namespace Disagg.Harness.Tests.Fixtures;

/// <summary>Variants of the smoke config and run contexts for tests that submit real jobs.</summary>
public static class TestConfigs
{
    public static string SmokeText() => File.ReadAllText(FixturePaths.Fixture("configs", "smoke.yaml"));

    /// <summary>The smoke config with its thresholds section replaced and any further text edits applied.</summary>
    public static DisaggConfig Smoke(string thresholds, Func<string, string>? edit = null)
    {
        var text = SmokeText();
        var start = text.IndexOf("thresholds:", StringComparison.Ordinal);
        var end = text.IndexOf("worker_config:", StringComparison.Ordinal);
        text = text[..start] + thresholds + "\n" + text[end..];
        if (edit is not null) text = edit(text);
        var path = Path.Combine(Path.GetTempPath(), $"disagg-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        return ConfigLoader.Load(path);
    }

    /// <summary>Adds a ctx worker environment string (e.g. a simulator fault) to a config text.</summary>
    public static Func<string, string> CtxEnv(string env) =>
        text => text.Replace("  server_env_var:", $"  ctx_worker_env_var: \"{env}\"\n  server_env_var:", StringComparison.Ordinal);

    /// <summary>A run context on the local cluster writing into a fresh temp folder.</summary>
    public static RunContext LocalContext(string? profilePath = null)
    {
        var repo = FixturePaths.RepoRoot;
        var results = Directory.CreateTempSubdirectory("disagg-runner-").FullName;
        var settings = new RunSettings(repo, Path.Combine(repo, "configs"), "",
            profilePath ?? Path.Combine(repo, "clusters", "local.yaml"), results, TimeSpan.FromMinutes(5));
        return RunContext.CreateLocal(settings);
    }
}
