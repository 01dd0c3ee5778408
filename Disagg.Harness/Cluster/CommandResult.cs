namespace Disagg.Harness.Cluster;

public sealed record CommandResult(Command Command, int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public bool IsSuccess => ExitCode == 0;

    /// <summary>This result, or a <see cref="CommandFailedException"/> when the command's validation rejects its exit code.</summary>
    public CommandResult Validated() =>
        Command.Validation == CommandResultValidation.ZeroExitCode && !IsSuccess ? throw new CommandFailedException(this, Command.FailureHint) : this;
}
