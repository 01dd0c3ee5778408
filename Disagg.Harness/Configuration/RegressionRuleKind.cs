namespace Disagg.Harness.Configuration;

/// <summary>
/// <c>regression.rule</c>: <see cref="Fixed"/> is the inherited single-sample rule (exactly as before); <see cref="NoiseAware"/> confirms a
/// suspect concurrency inside the allocation and fails only on a significant regression beyond the threshold (docs/thresholds.md).
/// </summary>
public enum RegressionRuleKind
{
    Fixed,
    NoiseAware,
}
