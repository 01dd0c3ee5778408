namespace Disagg.Harness.Configuration;

/// <summary>One metric of the benchmark result block: how it is named in YAML thresholds, in the log and in OpenSearch.</summary>
public sealed record MetricInfo(string Name, string Label, string Unit, Direction Direction, string? DocumentField, bool IsInteger = false);
