namespace Disagg.Harness.Configuration;

/// <summary>The result of applying the overrides: the new config and one log line per replaced value.</summary>
public sealed record OverrideResult(DisaggConfig Config, IReadOnlyList<string> Log);
