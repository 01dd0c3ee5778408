namespace Disagg.Harness.Cluster;

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
