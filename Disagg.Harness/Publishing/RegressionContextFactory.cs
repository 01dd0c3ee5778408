using Disagg.Harness.Configuration;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Where a judgement happens, as the documents say it (<see cref="CiContext"/>): post-merge or pre-merge, a
/// FUNCTIONAL-ONLY stage, gen_only and speculative decoding (the default gating metrics), and the identity history is
/// looked up by: the documents' test case names, the GPU type and the branch (a pre-merge run's baseline branch).
/// Live runs and <c>disagg reevaluate</c> both build it here, so both judge against the same rule.
/// </summary>
public static class RegressionContextFactory
{
    public static RegressionContext For(string testId, DisaggConfig config, IReadOnlyDictionary<string, string> env, DateTimeOffset now, string gpuType,
        string cluster = "")
    {
        var ci = CiContext.From(env);
        var functionalOnly = ci.StageName.Contains("FUNCTIONAL-ONLY", StringComparison.Ordinal);
        return new RegressionContext(testId, now, ci.IsPostMerge ? RunKind.PostMerge : RunKind.PreMerge,
            functionalOnly, config.Benchmark.Mode != BenchmarkMode.E2E, CaseNames.SpeculativeDecoding(config))
        {
            Identity = CaseNames.Identity(config, testId, gpuType, ci.LookupBranch) with { Cluster = cluster },
        };
    }
}
