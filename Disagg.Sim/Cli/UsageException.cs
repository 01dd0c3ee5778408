namespace Disagg.Sim.Cli;

/// <summary>Bad command line: printed as one line on stderr, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message)
{
    public const int ExitCode = 2;
}
