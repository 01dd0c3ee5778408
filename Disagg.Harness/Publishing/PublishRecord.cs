using Disagg.Harness.Configuration;
namespace Disagg.Harness.Publishing;

/// <summary>
/// The neutral record every destination is built from: one finished test, its job, its resolved config
/// and the environment it ran in. Built once by <see cref="PublishRecordFactory"/>; documents and rows are pure functions of it.
/// </summary>
public sealed record PublishRecord(
    string RunId,
    string TestId,
    bool Passed,
    IReadOnlyList<string> Problems,
    JobFacts Job,
    string GpuType,
    string BenchmarkMode,
    int NumCtxServers,
    int NumGenServers,
    string ServerEnvVar,
    IReadOnlyList<TypedField> CtxServer,
    IReadOnlyList<TypedField> GenServer,
    ClientSettings Client,
    IReadOnlyList<ConcurrencyMetrics> Results,
    string ResolvedConfigJson,
    IReadOnlyDictionary<string, string> Environment,
    RegressionOutcome? Regression = null,
    IReadOnlyDictionary<int, RegressionOutcome>? RegressionByConcurrency = null)
{
    /// <summary>The regression verdict a concurrency's document carries: its own when the rule judged it, else the test's.</summary>
    public RegressionOutcome? RegressionFor(int concurrency) => RegressionByConcurrency?.GetValueOrDefault(concurrency) ?? Regression;
}

/// <summary>What SLURM said about the job, and when the test started and ended.</summary>
public sealed record JobFacts(string? JobId, string? State, string? ExitCode, string? Nodes, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, double DurationSeconds);

/// <summary>The benchmark client settings shared by every concurrency of a test.</summary>
public sealed record ClientSettings(
    int Iterations,
    int Isl,
    int Osl,
    double RandomRangeRatio,
    string DatasetFile,
    string Backend,
    bool UseChatTemplate,
    bool Streaming,
    bool TrustRemoteCode,
    string EnvVars,
    bool SpeculativeDecoding)
{
    public string NameFor(int concurrency) => $"con{concurrency}_iter{Iterations}_isl{Isl}_osl{Osl}";
}

/// <summary>The parsed metrics of one concurrency, keyed by <see cref="Results.MetricCatalog"/> name.</summary>
public sealed record ConcurrencyMetrics(int Concurrency, int? Prompts, IReadOnlyDictionary<string, double> Metrics);

/// <summary>A server-config field with its base name (e.g. <c>l_tp</c>) and a long, double, string or bool value.</summary>
public sealed record TypedField(string Key, object Value);

/// <summary>The regression verdict of one test, filled by the regression rule when history exists.</summary>
public sealed record RegressionOutcome(
    bool IsRegression,
    string Info,
    IReadOnlyDictionary<string, double> Baselines,
    IReadOnlyDictionary<string, double> PostMergeThresholds,
    IReadOnlyDictionary<string, double> PreMergeThresholds);
