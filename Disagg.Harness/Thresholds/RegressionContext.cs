using Disagg.Harness.Configuration;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// Where a run happens. <see cref="FromCi"/> reads it the way the reference does: post-merge when the
/// parent job URL contains "PostMerge", and a stage whose name contains FUNCTIONAL-ONLY never fails on perf.
/// </summary>
public sealed record RegressionContext(string TestCase, DateTimeOffset Now, RunKind Kind, bool FunctionalOnly = false, bool GenOnly = false, bool SpeculativeDecoding = false)
{
    public static RegressionContext FromCi(string testCase, DateTimeOffset now, string? parentJobUrl, string? stageName, bool genOnly = false, bool speculativeDecoding = false) =>
        new(testCase, now,
            parentJobUrl?.Contains("PostMerge", StringComparison.Ordinal) == true ? RunKind.PostMerge : RunKind.PreMerge,
            stageName?.Contains("FUNCTIONAL-ONLY", StringComparison.Ordinal) == true, genOnly, speculativeDecoding);
}
