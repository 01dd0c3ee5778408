namespace Disagg.Harness.Configuration;

/// <summary>A per-metric tolerance override; null keeps the default of that run kind.</summary>
public sealed record ToleranceOverride(double? PostMerge, double? PreMerge);
