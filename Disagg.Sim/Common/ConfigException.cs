namespace Disagg.Sim.Common;

/// <summary>A bad input file or environment value: printed as <c>error: message</c>, exit code 1.</summary>
internal sealed class ConfigException(string message) : Exception(message)
{
    public const int ExitCode = 1;

    /// <summary>An error at a place in a file: <c>path:line: message</c>.</summary>
    public static ConfigException At(string path, long line, string message) => new($"{path}:{line}: {message}");
}
