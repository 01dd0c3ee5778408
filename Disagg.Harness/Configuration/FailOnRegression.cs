namespace Disagg.Harness.Configuration;

/// <summary><c>auto</c>: pre-merge regressions fail, post-merge ones warn (results-upload.md §10).</summary>
public enum FailOnRegression { Auto, Always, Never }
