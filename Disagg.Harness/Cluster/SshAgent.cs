using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Security;
using Renci.SshNet.Security.Cryptography;

namespace Disagg.Harness.Cluster;

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
                $"ssh.key is 'agent' but {SocketVariable} is not set: start ssh-agent (eval $(ssh-agent)), ssh-add the key, "
                + $"and run with {SocketVariable} exported");
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
            throw new SshAgentException(
                $"ssh-agent at {SocketPath} ({SocketVariable}) refused to sign with the key (removed from the agent, or confirmation denied?)");
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
