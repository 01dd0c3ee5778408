using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Security;
using Renci.SshNet.Security.Cryptography;

namespace Disagg.Harness.Cluster;

/// <summary>An identity held by ssh-agent: its public key blob (SSH wire format) and comment.</summary>
public sealed record SshAgentIdentity(byte[] KeyBlob, string Comment)
{
    /// <summary>The key type named in the blob, e.g. <c>ssh-ed25519</c>.</summary>
    public string KeyType => Encoding.ASCII.GetString(SshAgent.ReadString(KeyBlob, 0, out _));
}
