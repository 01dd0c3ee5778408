using System.Globalization;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// How a run names its test cases in history: <c>{mode}-{config stem}-con{c}_iter{i}_isl{isl}_osl{osl}</c> per
/// concurrency, on one GPU type and runtime, looked up on one branch (a pre-merge run looks up its baseline branch,
/// not its own). <see cref="Default"/> names a case by the test id, for callers without a config.
/// </summary>
public sealed record HistoryIdentity(string CasePrefix, int Iterations, int Isl, int Osl, string GpuType, string Runtime, string Branch)
{
    public const string DisaggRuntime = "multi_node_disagg_server";

    public static HistoryIdentity Default(string testCase) => new(testCase, 1, 1024, 1024, "", DisaggRuntime, "");

    public string ClientName(int concurrency) => string.Create(CultureInfo.InvariantCulture, $"con{concurrency}_iter{Iterations}_isl{Isl}_osl{Osl}");

    public string TestCaseName(int concurrency) => $"{CasePrefix}-{ClientName(concurrency)}";

    /// <summary>The cluster profile's name the run judges on: history of other clusters never counts (<see cref="CaseKey.Cluster"/>).</summary>
    public string Cluster { get; init; } = "";

    public CaseKey KeyFor(int concurrency) => new(TestCaseName(concurrency), GpuType, Runtime, Branch) { Cluster = Cluster.Length > 0 ? Cluster : null };
}
