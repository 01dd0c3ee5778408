using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Security;
using Renci.SshNet.Security.Cryptography;

namespace Disagg.Harness.Cluster;

/// <summary>
/// The agent's keys as an SSH.NET <see cref="IPrivateKeySource"/>: one <see cref="KeyHostAlgorithm"/> per usable
/// identity (ssh-ed25519, ecdsa-sha2-*, and RSA as rsa-sha2-512, rsa-sha2-256, ssh-rsa) whose signatures come from the
/// agent. Identities of other types (e.g. certificates, security keys) are skipped.
/// </summary>
public sealed class SshAgentKeySource : IPrivateKeySource
{
    private SshAgentKeySource(SshAgent agent, IReadOnlyList<HostAlgorithm> algorithms, IReadOnlyList<SshAgentIdentity> identities)
    {
        Agent = agent;
        HostKeyAlgorithms = algorithms;
        Identities = identities;
    }

    public SshAgent Agent { get; }

    /// <summary>The identities that were turned into host key algorithms.</summary>
    public IReadOnlyList<SshAgentIdentity> Identities { get; }

    public IReadOnlyCollection<HostAlgorithm> HostKeyAlgorithms { get; }

    /// <summary>Lists the agent's identities now; an agent without usable keys is an error naming <c>SSH_AUTH_SOCK</c>.</summary>
    public static SshAgentKeySource Load(SshAgent agent)
    {
        var identities = agent.ListIdentities();
        var algorithms = new List<HostAlgorithm>();
        var used = new List<SshAgentIdentity>();
        foreach (var identity in identities)
        {
            var made = Algorithms(agent, identity);
            if (made.Count == 0) continue;
            algorithms.AddRange(made);
            used.Add(identity);
        }
        if (algorithms.Count == 0)
            throw new SshAgentException(identities.Count == 0
                ? $"ssh.key is 'agent' but the ssh-agent at {agent.SocketPath} (from {SshAgent.SocketVariable}) holds no identities; ssh-add the cluster key"
                : $"ssh.key is 'agent' but none of the ssh-agent's identities at {agent.SocketPath} (from {SshAgent.SocketVariable}) is a supported type " +
                  $"({string.Join(", ", identities.Select(i => i.KeyType))}); supported: ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa");
        return new SshAgentKeySource(agent, algorithms, used);
    }

    private static List<HostAlgorithm> Algorithms(SshAgent agent, SshAgentIdentity identity)
    {
        var type = identity.KeyType;
        Key key;
        try
        {
            var data = new SshKeyData(identity.KeyBlob);
            key = type switch
            {
                "ssh-ed25519" => new ED25519Key(data),
                "ssh-rsa" => new RsaKey(data),
                "ecdsa-sha2-nistp256" or "ecdsa-sha2-nistp384" or "ecdsa-sha2-nistp521" => new EcdsaKey(data),
                _ => null!,
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [];
        }
        if (key is null) return [];
        key.Comment = identity.Comment;
        if (type == "ssh-rsa")
            return
            [
                Rsa("rsa-sha2-512", HashAlgorithmName.SHA512, SshAgent.RsaSha2_512),
                Rsa("rsa-sha2-256", HashAlgorithmName.SHA256, SshAgent.RsaSha2_256),
                Rsa("ssh-rsa", HashAlgorithmName.SHA1, 0),
            ];
        DigitalSignature verifier = key switch
        {
            ED25519Key ed => new ED25519DigitalSignature(ed),
            EcdsaKey ec => new EcdsaDigitalSignature(ec),
            _ => throw new InvalidOperationException(type),
        };
        return [new KeyHostAlgorithm(type, key, new SshAgentSignature(agent, identity.KeyBlob, verifier, 0))];

        KeyHostAlgorithm Rsa(string name, HashAlgorithmName hash, uint flags) =>
            new(name, key, new SshAgentSignature(agent, identity.KeyBlob, new RsaDigitalSignature((RsaKey)key, hash), flags));
    }
}
