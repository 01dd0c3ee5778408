using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>What the judge found: problems fail the test, warnings do not.</summary>
public sealed record Judgement(
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ConcurrencyResult> Blocks,
    StepTimeSummary? StepTimes,
    IReadOnlyList<ThresholdVerdict> Verdicts,
    IReadOnlyList<RegressionFinding> Regression,
    IReadOnlyList<AccuracyVerdict> Accuracy)
{
    /// <summary>Per concurrency, the test case as its document records it; empty when history was not read.</summary>
    public IReadOnlyList<RegressionCase> RegressionCases { get; init; } = [];

    /// <summary>Confirmation repeats (extra samples of planned concurrencies, <see cref="ConcurrencyResult.SampleIndex"/> ≥ 1).</summary>
    public IReadOnlyList<ConcurrencyResult> Repeats { get; init; } = [];
}
