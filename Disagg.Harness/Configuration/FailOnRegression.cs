namespace Disagg.Harness.Configuration;

/// <summary>
/// <c>auto</c>: pre-merge regressions fail, post-merge ones warn; <c>always</c>: every regression fails;
/// <c>never</c>: regressions only warn (the gate in <c>Thresholds/RegressionRule.cs</c>).
/// </summary>
public enum FailOnRegression { Auto, Always, Never }
