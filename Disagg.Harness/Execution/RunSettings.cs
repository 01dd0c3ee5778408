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

    /// <summary>
    /// How many times an infrastructure failure is resubmitted elsewhere (excluding the nodes it implicated), within the list's
    /// TIMEOUT: DISAGG_INFRA_RETRIES (run_disagg_test.sh --infra-retries), runsettings InfraRetries, default 1; 0 turns retries off.
    /// </summary>
    public int InfraRetries { get; init; } = Count("DISAGG_INFRA_RETRIES", 1);

    /// <summary>Exclude nodes the bad-node ledger holds as suspect (DISAGG_AVOID_SUSPECT_NODES=1, --avoid-suspect-nodes).</summary>
    public bool AvoidSuspectNodes { get; init; } = Environment.GetEnvironmentVariable("DISAGG_AVOID_SUSPECT_NODES")?.Trim() is "1" or "true";

    /// <summary>Infrastructure failures within <see cref="SuspectWindow"/> that make a node suspect (DISAGG_SUSPECT_NODE_THRESHOLD, 2).</summary>
    public int SuspectThreshold { get; init; } = Math.Max(1, Count("DISAGG_SUSPECT_NODE_THRESHOLD", 2));

    /// <summary>How far back the ledger counts (DISAGG_SUSPECT_NODE_DAYS, 7 days).</summary>
    public TimeSpan SuspectWindow { get; init; } = TimeSpan.FromDays(Count("DISAGG_SUSPECT_NODE_DAYS", 7));

    private static int Count(string variable, int fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v && int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n >= 0 ? n : fallback;

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
        var settings = new RunSettings(
            repo,
            Abs(Get("DISAGG_CONFIG_ROOT", "ConfigRoot") ?? "configs"),
            Abs(Get("DISAGG_TEST_LIST", "TestList") ?? "test-lists/local-smoke.txt"),
            Abs(Get("DISAGG_CLUSTER_PROFILE", "ClusterProfile") ?? "clusters/local.yaml"),
            Abs(results),
            TimeSpan.FromSeconds(queue));
        // DISAGG_INFRA_RETRIES / DISAGG_AVOID_SUSPECT_NODES (the init defaults) win; runsettings parameters come next.
        if (Get("DISAGG_INFRA_RETRIES", "InfraRetries") is { } retries
            && int.TryParse(retries, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0)
            settings = settings with { InfraRetries = n };
        if (Get("DISAGG_AVOID_SUSPECT_NODES", "AvoidSuspectNodes")?.Trim() is "1" or "true") settings = settings with { AvoidSuspectNodes = true };
        return settings;
    }

    /// <summary>The nearest folder above <paramref name="start"/> holding Disagg.sln.</summary>
    public static string FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Disagg.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Cannot find Disagg.sln above {start}; set DISAGG_REPO_ROOT to the repository root.");
    }
}
