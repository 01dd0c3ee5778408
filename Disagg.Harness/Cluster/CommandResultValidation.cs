namespace Disagg.Harness.Cluster;

/// <summary>Whether a runner turns a non-zero exit code into a <see cref="CommandFailedException"/>.</summary>
public enum CommandResultValidation
{
    /// <summary>Any exit code is returned in the <see cref="CommandResult"/>.</summary>
    None,

    /// <summary>A non-zero exit code throws <see cref="CommandFailedException"/> with the command's hint.</summary>
    ZeroExitCode,
}
