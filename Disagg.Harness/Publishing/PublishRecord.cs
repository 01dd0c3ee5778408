using Disagg.Harness.Thresholds;

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
    IReadOnlyList<RegressionCase>? RegressionCases = null)
{
    /// <summary>The server name both roles carry, <c>{mode}-{stem}</c>, and the prefix of every test case name.</summary>
    public string ServerName { get; init; } = TestId;

    /// <summary>The test list label, <c>disagg_upload-{mode}-{stem}</c>.</summary>
    public string TestList { get; init; } = "disagg_upload-" + TestId;

    /// <summary>Startup observations of the servers, when the job captured them (<see cref="StartupObservation"/>).</summary>
    public IReadOnlyList<StartupObservation> Startup { get; init; } = [];

    /// <summary><c>infrastructure</c>, <c>product</c> or <c>configuration</c> for a failed test, empty for a pass (<c>s_failure_class</c>).</summary>
    public string FailureClass { get; init; } = "";

    /// <summary>The cluster profile's name (<c>s_cluster</c>): history is kept per cluster and GPU type.</summary>
    public string Cluster { get; init; } = "";

    public string TestCaseName(int concurrency) => $"{ServerName}-{Client.NameFor(concurrency)}";

    /// <summary>The regression case of a concurrency; null when history was not read or the concurrency was not judged.</summary>
    public RegressionCase? RegressionFor(int concurrency) => RegressionCases?.FirstOrDefault(c => c.Concurrency == concurrency);
}
