namespace Disagg.Harness.Configuration;

/// <summary>One documented environment override: the variable and the config value it replaces.</summary>
public sealed record EnvOverride(string Variable, string KeyPath, string Meaning, Func<DisaggConfig, string> Get, Func<DisaggConfig, string, DisaggConfig> Set);
