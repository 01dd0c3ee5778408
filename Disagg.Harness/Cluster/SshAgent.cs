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

/// <summary>The agent could not be reached, has no keys, or refused a request.</summary>
public sealed class SshAgentException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

/// <summary>
/// A minimal ssh-agent client (draft-miller-ssh-agent): lists identities (SSH_AGENTC_REQUEST_IDENTITIES) and signs
/// with them (SSH_AGENTC_SIGN_REQUEST) over the Unix domain socket named by <c>SSH_AUTH_SOCK</c>. Each request opens
/// its own connection, so an instance is safe to share between threads. SSH.NET 2026.0.0 has no agent support of its
/// own; <see cref="SshAgentKeySource"/> plugs this client into it.
/// </summary>
public sealed class SshAgent
{
    /// <summary>The environment variable holding the agent's socket path.</summary>
    public const string SocketVariable = "SSH_AUTH_SOCK";

    private const byte AgentFailure = 5;
    private const byte RequestIdentities = 11;
    private const byte IdentitiesAnswer = 12;
    private const byte SignRequest = 13;
    private const byte SignResponse = 14;
    private const int MaxMessage = 256 * 1024;

    /// <summary>SSH_AGENT_RSA_SHA2_256 / SSH_AGENT_RSA_SHA2_512 sign-request flags.</summary>
    public const uint RsaSha2_256 = 2, RsaSha2_512 = 4;

    private static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(30);

    public SshAgent(string socketPath) => SocketPath = socketPath;

    public string SocketPath { get; }

    /// <summary>The agent named by <c>SSH_AUTH_SOCK</c>; a clear error when the variable is unset or empty.</summary>
    public static SshAgent FromEnvironment()
    {
        var path = Environment.GetEnvironmentVariable(SocketVariable);
        if (string.IsNullOrEmpty(path))
            throw new SshAgentException(
                $"ssh.key is 'agent' but {SocketVariable} is not set: start ssh-agent (eval $(ssh-agent)), ssh-add the key, and run with {SocketVariable} exported");
        return new SshAgent(path);
    }

    /// <summary>The agent's identities, in the agent's order.</summary>
    public IReadOnlyList<SshAgentIdentity> ListIdentities()
    {
        var reply = Request([RequestIdentities], "list identities");
        if (reply[0] != IdentitiesAnswer)
            throw new SshAgentException($"ssh-agent at {SocketPath} ({SocketVariable}) answered the identity request with message type {reply[0]}");
        var count = ReadUInt32(reply, 1);
        var offset = 5;
        var identities = new List<SshAgentIdentity>();
        for (var i = 0u; i < count; i++)
        {
            var blob = ReadString(reply, offset, out offset);
            var comment = ReadString(reply, offset, out offset);
            identities.Add(new SshAgentIdentity(blob, Encoding.UTF8.GetString(comment)));
        }
        return identities;
    }

    /// <summary>
    /// Signs <paramref name="data"/> with the identity whose public key blob is <paramref name="keyBlob"/>; returns the
    /// agent's signature blob (string format name, string signature).
    /// </summary>
    public byte[] Sign(byte[] keyBlob, byte[] data, uint flags = 0)
    {
        var message = new MemoryStream();
        message.WriteByte(SignRequest);
        WriteString(message, keyBlob);
        WriteString(message, data);
        WriteUInt32(message, flags);
        var reply = Request(message.ToArray(), "sign");
        if (reply[0] == AgentFailure)
            throw new SshAgentException($"ssh-agent at {SocketPath} ({SocketVariable}) refused to sign with the key (removed from the agent, or confirmation denied?)");
        if (reply[0] != SignResponse)
            throw new SshAgentException($"ssh-agent at {SocketPath} ({SocketVariable}) answered the sign request with message type {reply[0]}");
        return ReadString(reply, 1, out _);
    }

    private byte[] Request(byte[] payload, string what)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            ReceiveTimeout = (int)IoTimeout.TotalMilliseconds,
            SendTimeout = (int)IoTimeout.TotalMilliseconds,
        };
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
        }
        catch (SocketException e)
        {
            throw new SshAgentException(
                $"cannot reach ssh-agent at {SocketPath} (from {SocketVariable}): {e.Message}. Is the agent running, and {SocketVariable} current?", e);
        }
        try
        {
            var frame = new byte[4 + payload.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
            payload.CopyTo(frame, 4);
            socket.Send(frame);
            var header = ReceiveExactly(socket, 4);
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (length == 0 || length > MaxMessage)
                throw new SshAgentException($"ssh-agent at {SocketPath} ({SocketVariable}) sent a malformed reply ({length} bytes) to '{what}'");
            return ReceiveExactly(socket, (int)length);
        }
        catch (SocketException e)
        {
            throw new SshAgentException($"ssh-agent at {SocketPath} ({SocketVariable}) failed during '{what}': {e.Message}", e);
        }
    }

    private byte[] ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = socket.Receive(buffer, read, count - read, SocketFlags.None);
            if (n == 0) throw new SshAgentException($"ssh-agent at {SocketPath} ({SocketVariable}) closed the connection mid-reply");
            read += n;
        }
        return buffer;
    }

    internal static uint ReadUInt32(byte[] buffer, int offset)
    {
        if (offset + 4 > buffer.Length) throw new SshAgentException("ssh-agent reply is truncated");
        return BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(offset));
    }

    internal static byte[] ReadString(byte[] buffer, int offset, out int next)
    {
        var length = ReadUInt32(buffer, offset);
        if (length > buffer.Length - offset - 4) throw new SshAgentException("ssh-agent reply is truncated");
        next = offset + 4 + (int)length;
        return buffer.AsSpan(offset + 4, (int)length).ToArray();
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteString(Stream stream, byte[] value)
    {
        WriteUInt32(stream, (uint)value.Length);
        stream.Write(value);
    }
}

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
