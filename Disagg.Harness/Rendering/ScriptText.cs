using Disagg.Harness.Configuration;

namespace Disagg.Harness.Rendering;

/// <summary>
/// Text that lands in a script outside bash quoting: comments and #SBATCH lines. A newline there would
/// start a new command or directive, so comments are flattened and directives with one are refused.
/// </summary>
public static class ScriptText
{
    public static string Comment(string text) =>
        new(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());

    /// <summary>
    /// A value of an #SBATCH directive. sbatch splits directives on whitespace but honours double quotes
    /// (and expands nothing), so a value with spaces is double-quoted; one with a double quote is refused.
    /// </summary>
    public static string SbatchValue(string value, string configFile)
    {
        if (value.Contains('"', StringComparison.Ordinal))
            throw new ConfigException([new ConfigError(configFile, 0, 0, "slurm",
                $"'{Comment(value)}' contains a double quote, which an #SBATCH directive cannot carry")]);
        return value.Any(char.IsWhiteSpace) ? "\"" + value + "\"" : value;
    }

    public static void RequireSingleLine(string sbatchOption, string configFile)
    {
        if (sbatchOption.Any(char.IsControl))
            throw new ConfigException([new ConfigError(configFile, 0, 0, "slurm",
                $"sbatch option '{Comment(sbatchOption)}' contains a line break or control character; it would inject a line into the job script")]);
    }
}
