namespace Disagg.Harness.Cluster;

/// <summary>
/// The server's host key was not accepted (unknown and not trusted, changed, or revoked). Never retried:
/// reconnecting would present the same key.
/// </summary>
public sealed class SshHostKeyException(string message, HostKeyStatus status) : Exception(message)
{
    public HostKeyStatus Status { get; } = status;
}
