using Disagg.Harness.Configuration;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Where a judgement happens, as the documents say it (<see cref="CiContext"/>): post-merge or pre-merge, and a
/// FUNCTIONAL-ONLY stage; gen_only and speculative decoding choose the default gating metrics. Live runs and
/// <c>disagg reevaluate</c> both build it here, so both judge against the same rule.
/// </summary>
public static class RegressionContextFactory
{
    public static RegressionContext For(string testId, DisaggConfig config, IReadOnlyDictionary<string, string> env, DateTimeOffset now)
    {
        var ci = CiContext.From(env);
        return new RegressionContext(testId, now, ci.IsPostMerge ? RunKind.PostMerge : RunKind.PreMerge,
            ci.StageName.Contains("FUNCTIONAL-ONLY", StringComparison.Ordinal), config.Benchmark.Mode != BenchmarkMode.E2E, config.Gen.MtpLayers > 0);
    }
}
