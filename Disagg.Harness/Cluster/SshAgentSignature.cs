using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Security;
using Renci.SshNet.Security.Cryptography;

namespace Disagg.Harness.Cluster;

/// <summary>
/// A <see cref="DigitalSignature"/> whose <see cref="Sign"/> asks ssh-agent. Returns the bare signature (the agent's
/// blob without its format name), which <see cref="KeyHostAlgorithm"/> wraps again with the algorithm name.
/// </summary>
internal sealed class SshAgentSignature(SshAgent agent, byte[] keyBlob, DigitalSignature verifier, uint flags) : DigitalSignature
{
    public override byte[] Sign(byte[] input)
    {
        var blob = agent.Sign(keyBlob, input, flags);
        SshAgent.ReadString(blob, 0, out var offset);
        return SshAgent.ReadString(blob, offset, out _);
    }

    public override bool Verify(byte[] input, byte[] signature) => verifier.Verify(input, signature);
}
