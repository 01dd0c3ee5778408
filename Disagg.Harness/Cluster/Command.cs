using System.Text.RegularExpressions;

namespace Disagg.Harness.Cluster;

/// <summary>
/// An immutable command line: what to run, where, with which extra environment, and whether a non-zero exit is an
/// error (<see cref="CommandResultValidation"/>). Runners execute it.
/// </summary>
public sealed partial record Command(string Program, IReadOnlyList<string> Arguments, string? WorkingDirectory = null, TimeSpan? Timeout = null)
{
    private static readonly IReadOnlyDictionary<string, string?> NoVariables = new Dictionary<string, string?>(StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")] private static partial Regex VariableName();

    /// <summary>Set on top of (or, with a null value, removed from) the environment the command inherits.</summary>
    public IReadOnlyDictionary<string, string?> EnvironmentVariables { get; private init; } = NoVariables;

    /// <summary>
    /// <see cref="CommandResultValidation.None"/> unless asked: most callers read the exit code themselves (squeue's
    /// "Invalid job id" is an answer, not a failure).
    /// </summary>
    public CommandResultValidation Validation { get; private init; } = CommandResultValidation.None;

    /// <summary>What the <see cref="CommandFailedException"/> of a rejected exit code tells the user to do.</summary>
    public string FailureHint { get; private init; } = "";

    public static Command Of(string program, params string[] arguments) => new(program, arguments);

    public Command WithTimeout(TimeSpan timeout) => this with { Timeout = timeout };
    public Command InDirectory(string directory) => this with { WorkingDirectory = directory };

    /// <summary>
    /// Adds variables (a null value unsets an inherited one) to those set before; a later value wins. Names must be
    /// POSIX names; values are passed verbatim, so anything but NUL survives.
    /// </summary>
    public Command WithEnvironmentVariables(params (string Name, string? Value)[] variables) => With(variables);

    public Command WithEnvironmentVariables(IReadOnlyDictionary<string, string> variables) => With(variables.Select(v => (v.Key, (string?)v.Value)));

    private Command With(IEnumerable<(string Name, string? Value)> variables)
    {
        var merged = new Dictionary<string, string?>(EnvironmentVariables, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            if (!VariableName().IsMatch(name))
                throw new ArgumentException($"'{name}' is not an environment variable name for {Program}; use letters, digits and _, not starting with a digit",
                    nameof(variables));
            if (value?.Contains('\0', StringComparison.Ordinal) == true)
                throw new ArgumentException($"the value of {name} for {Program} contains a NUL character, which no process environment can hold",
                    nameof(variables));
            merged[name] = value;
        }
        return this with { EnvironmentVariables = merged };
    }

    /// <summary>With <see cref="CommandResultValidation.ZeroExitCode"/>, runners throw when the command exits non-zero.</summary>
    public Command WithValidation(CommandResultValidation validation, string hint = "") => this with { Validation = validation, FailureHint = hint };

    public override string ToString() => string.Join(' ', new[] { Program }.Concat(Arguments).Select(Common.BashQuote.Quote));
}
