namespace Disagg.Harness.Configuration;

/// <summary>Thrown when an input file has one or more errors; carries all of them, not just the first.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception(Format(errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;

    private static string Format(IReadOnlyList<ConfigError> errors) =>
        $"{errors.Count} error(s):{Environment.NewLine}" +
        string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
