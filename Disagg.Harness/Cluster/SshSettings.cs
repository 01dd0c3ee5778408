namespace Disagg.Harness.Cluster;

/// <summary>
/// How to reach a host over SSH. <see cref="Jump"/>, when set, is a bastion reached first: the target is then
/// connected through a local forward over the jump's connection, and its host key is still checked against
/// <see cref="KnownHostsPath"/> under the target's own name and port.
/// </summary>
public sealed record SshSettings(string Host, int Port, string User, string KeyPath, string KnownHostsPath, bool TrustUnknownHost, SshSettings? Jump = null);
