namespace Disagg.Harness.Cluster;

/// <summary>An immutable command line: what to run, where, and with what input. Runners execute it.</summary>
public sealed record Command(string Program, IReadOnlyList<string> Arguments, string? WorkingDirectory = null, TimeSpan? Timeout = null)
{
    public static Command Of(string program, params string[] arguments) => new(program, arguments);

    public Command WithTimeout(TimeSpan timeout) => this with { Timeout = timeout };
    public Command InDirectory(string directory) => this with { WorkingDirectory = directory };

    public override string ToString() => string.Join(' ', new[] { Program }.Concat(Arguments).Select(Disagg.Harness.Common.BashQuote.Quote));
}

public sealed record CommandResult(Command Command, int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public bool IsSuccess => ExitCode == 0;
}

/// <summary>A command that did not succeed, with everything needed to act on it without rerunning it.</summary>
public sealed class CommandFailedException(CommandResult result, string hint)
    : Exception(Format(result, hint))
{
    public CommandResult Result { get; } = result;
    public string Hint { get; } = hint;

    private static string Format(CommandResult r, string hint)
    {
        var tail = Tail(r.StandardError.Length > 0 ? r.StandardError : r.StandardOutput, 12);
        return $"Command failed with exit code {r.ExitCode} after {r.Duration.TotalSeconds:0.0} s: {r.Command}" +
               (tail.Length > 0 ? $"{Environment.NewLine}stderr (last lines):{Environment.NewLine}{tail}" : "") +
               (hint.Length > 0 ? $"{Environment.NewLine}Hint: {hint}" : "");
    }

    internal static string Tail(string text, int lines) =>
        string.Join(Environment.NewLine, text.TrimEnd().Split('\n').TakeLast(lines).Select(l => "  " + l.TrimEnd()));
}

/// <summary>Runs commands on the machine that talks to SLURM: this host, or a login node over SSH.</summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(Command command, CancellationToken cancellationToken);
}
