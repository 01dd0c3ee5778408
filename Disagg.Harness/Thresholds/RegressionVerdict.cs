namespace Disagg.Harness.Thresholds;

/// <summary>
/// The regression rule's result: a finding per gating metric and concurrency (the verdict), and per concurrency the
/// test case as its document records it. <see cref="Cases"/> is empty when history was not read (no source, a source
/// that failed, or the rule disabled): the documents then carry no regression fields.
/// </summary>
public sealed record RegressionVerdict(IReadOnlyList<RegressionFinding> Findings, IReadOnlyList<RegressionCase> Cases)
{
    public static readonly RegressionVerdict None = new([], []);
}
