namespace Disagg.Harness.Execution;

/// <summary>
/// Where a run reads its inputs and writes its outputs. Resolved once per run from environment variables
/// (the same in CI, a terminal and an IDE), then runsettings parameters, then defaults under the repo.
/// </summary>
public sealed record RunSettings(
    string RepoRoot,
    string ConfigRoot,
    string TestList,
    string ClusterProfile,
    string ResultsDir,
    TimeSpan QueueTimeout)
{
    /// <summary>Names this run on the cluster (job comments): DISAGG_RUN_ID, else the results folder's name.</summary>
    public string RunId { get; init; } = Common.RunIds.Resolve(Environment.GetEnvironmentVariable(Common.RunIds.Variable), ResultsDir);

    /// <summary>Longest time one concurrency may run before the test fails naming it (DISAGG_CONCURRENCY_TIMEOUT_S).</summary>
    public TimeSpan ConcurrencyTimeout { get; init; } = Seconds("DISAGG_CONCURRENCY_TIMEOUT_S", 1800);

    /// <summary>How often the runner refreshes the heartbeat the job watches.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    private static TimeSpan Seconds(string variable, double fallback) =>
        TimeSpan.FromSeconds(Environment.GetEnvironmentVariable(variable) is { } v &&
                             double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : fallback);

    public static RunSettings Resolve(Func<string, string?> parameter)
    {
        string? Get(string env, string param) =>
            Environment.GetEnvironmentVariable(env) is { Length: > 0 } e ? e : parameter(param) is { Length: > 0 } p ? p : null;

        var repo = Get("DISAGG_REPO_ROOT", "RepoRoot") ?? FindRepoRoot(AppContext.BaseDirectory);
        string Abs(string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(repo, path));
        var results = Get("DISAGG_RESULTS_DIR", "ResultsDir")
            ?? Path.Combine("results", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        var queue = Get("DISAGG_QUEUE_TIMEOUT_S", "QueueTimeoutSeconds") is { } q
            && double.TryParse(q, System.Globalization.CultureInfo.InvariantCulture, out var s)
                ? s
                : 1800;
        return new RunSettings(
            repo,
            Abs(Get("DISAGG_CONFIG_ROOT", "ConfigRoot") ?? "configs"),
            Abs(Get("DISAGG_TEST_LIST", "TestList") ?? "test-lists/local-smoke.txt"),
            Abs(Get("DISAGG_CLUSTER_PROFILE", "ClusterProfile") ?? "clusters/local.yaml"),
            Abs(results),
            TimeSpan.FromSeconds(queue));
    }

    /// <summary>The nearest folder above <paramref name="start"/> holding Disagg.sln.</summary>
    public static string FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Disagg.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Cannot find Disagg.sln above {start}; set DISAGG_REPO_ROOT to the repository root.");
    }
}
