using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Tests.Fixtures;
using Renci.SshNet.Security;

namespace Disagg.Harness.Tests.Cluster;

/// <summary>
/// <see cref="SshAgent"/> and <see cref="SshAgentKeySource"/> against a real OpenSSH <c>ssh-agent</c> on a private
/// socket (no sshd needed): identities are listed, and signatures made by the agent are verified with SSH.NET's own
/// verification against the public key read from the <c>.pub</c> file.
/// </summary>
[NonParallelizable] // SSH_AUTH_SOCK is process-wide
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SshAgentTests
{
    private string _dir = null!;
    private string _socket = null!;
    private Process? _agent;
    private string? _savedSocketVariable;

    [SetUp]
    public void StartAgent()
    {
        if (Which("ssh-agent") is null || Which("ssh-add") is null || Which("ssh-keygen") is null)
            Assert.Ignore("needs OpenSSH's ssh-agent, ssh-add and ssh-keygen on PATH");
        _savedSocketVariable = Environment.GetEnvironmentVariable(SshAgent.SocketVariable);
        _dir = Directory.CreateTempSubdirectory("disagg-agent-").FullName;
        _socket = Path.Combine(_dir, "agent.sock");
        // The agent serves the whole test and is killed in TearDown: a live Process, not a Command that runs to its end.
        _agent = Process.Start(new ProcessStartInfo("ssh-agent", ["-D", "-a", _socket])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var clock = Stopwatch.StartNew();
        // ssh-agent creates the socket file when it binds and listens a moment later: a connect in between is refused.
        while (!Accepts(_socket))
        {
            if (_agent.HasExited) Assert.Fail($"ssh-agent exited with {_agent.ExitCode}: {_agent.StandardError.ReadToEnd()}");
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) Assert.Fail("ssh-agent did not accept connections on its socket within 10 s");
            Thread.Sleep(20);
        }
    }

    private static bool Accepts(string socket)
    {
        if (!File.Exists(socket)) return false;
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [TearDown]
    public void StopAgent()
    {
        Environment.SetEnvironmentVariable(SshAgent.SocketVariable, _savedSocketVariable);
        if (_agent is not null)
        {
            try
            {
                if (!_agent.HasExited) _agent.Kill();
                _agent.WaitForExit(5000);
            }
            catch (InvalidOperationException) { }
            _agent.Dispose();
            _agent = null;
        }
        if (_dir is not null && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private string Run(string program, params string[] args)
    {
        var command = new Command(program, args).WithTimeout(TimeSpan.FromSeconds(60)).WithEnvironmentVariables((SshAgent.SocketVariable, _socket))
            .WithValidation(CommandResultValidation.ZeroExitCode, $"OpenSSH's {program} failed against the test agent at {_socket}");
        var result = TestProcesses.Run(command);
        return result.StandardOutput + result.StandardError;
    }

    /// <summary>Generates a key pair and adds it to the agent; returns the public key blob and comment from the .pub file.</summary>
    private (byte[] Blob, string Comment) AddKey(string type, string name, params string[] extra)
    {
        var key = Path.Combine(_dir, name);
        Run("ssh-keygen", ["-q", "-t", type, .. extra, "-N", "", "-C", $"{name}@disagg-test", "-f", key]);
        Run("ssh-add", key);
        var fields = File.ReadAllText(key + ".pub").Trim().Split(' ');
        return (Convert.FromBase64String(fields[1]), fields[2]);
    }

    [Test]
    public void Lists_the_agents_identities_with_the_public_keys_of_the_pub_files()
    {
        var ed = AddKey("ed25519", "id_ed25519");
        var rsa = AddKey("rsa", "id_rsa", "-b", "2048");

        var identities = new SshAgent(_socket).ListIdentities();

        Assert.That(identities.Select(i => (Convert.ToBase64String(i.KeyBlob), i.Comment, i.KeyType)), Is.EquivalentTo(new[]
        {
            (Convert.ToBase64String(ed.Blob), ed.Comment, "ssh-ed25519"),
            (Convert.ToBase64String(rsa.Blob), rsa.Comment, "ssh-rsa"),
        }));
    }

    [Test]
    public void An_ed25519_signature_from_the_agent_verifies_against_the_public_key()
    {
        var (blob, _) = AddKey("ed25519", "id_ed25519");
        var challenge = Encoding.UTF8.GetBytes("disagg challenge " + Guid.NewGuid());

        var signature = new SshAgent(_socket).Sign(blob, challenge);

        // Independently of the client: SSH.NET's verifier built from the .pub file's key.
        var verifier = new KeyHostAlgorithm("ssh-ed25519", new ED25519Key(new SshKeyData(blob)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(verifier.VerifySignature(challenge, signature), Is.True);
            Assert.That(verifier.VerifySignature(Encoding.UTF8.GetBytes("something else"), signature), Is.False);
        }
    }

    [Test]
    public void The_key_source_signs_through_the_agent_as_ssh_net_would_during_authentication()
    {
        var (blob, comment) = AddKey("ed25519", "id_ed25519");
        var challenge = Encoding.UTF8.GetBytes("session id + userauth request " + Guid.NewGuid());

        var source = SshAgentKeySource.Load(new SshAgent(_socket));
        var algorithm = (KeyHostAlgorithm)source.HostKeyAlgorithms.Single();
        var signature = algorithm.Sign(challenge);

        var verifier = new KeyHostAlgorithm("ssh-ed25519", new ED25519Key(new SshKeyData(blob)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(algorithm.Name, Is.EqualTo("ssh-ed25519"));
            Assert.That(algorithm.Data, Is.EqualTo(blob), "the public key SSH.NET offers the server is the agent's");
            Assert.That(algorithm.Key.Comment, Is.EqualTo(comment));
            Assert.That(verifier.VerifySignature(challenge, signature), Is.True);
            Assert.That(algorithm.VerifySignature(challenge, signature), Is.True);
        }
    }

    [Test]
    public void Rsa_identities_sign_with_sha2_256_sha2_512_and_sha1_as_the_algorithm_asks()
    {
        var (blob, _) = AddKey("rsa", "id_rsa", "-b", "2048");
        var challenge = Encoding.UTF8.GetBytes("rsa challenge " + Guid.NewGuid());

        var source = SshAgentKeySource.Load(new SshAgent(_socket));

        Assert.That(source.HostKeyAlgorithms.Select(a => a.Name), Is.EqualTo(new[] { "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa" }));
        using (Assert.EnterMultipleScope())
        {
            foreach (var algorithm in source.HostKeyAlgorithms.Cast<KeyHostAlgorithm>())
            {
                var signature = algorithm.Sign(challenge);
                Assert.That(algorithm.Data, Is.EqualTo(blob), algorithm.Name);
                Assert.That(algorithm.VerifySignature(challenge, signature), Is.True, algorithm.Name);
                // The agent's signature names the algorithm it used; it must be the one asked for.
                var format = new SignatureKeyDataReader(signature).Format;
                Assert.That(format, Is.EqualTo(algorithm.Name));
            }
        }
    }

    [Test]
    public void A_missing_SSH_AUTH_SOCK_is_an_error_naming_the_variable()
    {
        Environment.SetEnvironmentVariable(SshAgent.SocketVariable, null);

        var error = Assert.Throws<SshAgentException>(() => SshAgent.FromEnvironment());

        Assert.That(error!.Message, Does.Contain("SSH_AUTH_SOCK").And.Contain("not set"));
    }

    [Test]
    public void An_agent_without_identities_is_an_error_naming_the_variable()
    {
        var error = Assert.Throws<SshAgentException>(() => SshAgentKeySource.Load(new SshAgent(_socket)));

        Assert.That(error!.Message, Does.Contain("SSH_AUTH_SOCK").And.Contain("no identities").And.Contain(_socket));
    }

    [Test]
    public void An_unreachable_socket_is_an_error_naming_the_variable()
    {
        var missing = Path.Combine(_dir, "nothing-here.sock");

        var error = Assert.Throws<SshAgentException>(() => new SshAgent(missing).ListIdentities());

        Assert.That(error!.Message, Does.Contain("SSH_AUTH_SOCK").And.Contain(missing));
    }

    [Test]
    public async Task SshConnection_with_key_agent_reads_SSH_AUTH_SOCK_when_connecting()
    {
        var settings = new SshSettings("127.0.0.1", 1, "nobody", ClusterProfileLoader.AgentKey, Path.Combine(_dir, "known_hosts"), false);

        Environment.SetEnvironmentVariable(SshAgent.SocketVariable, null);
        await using (var connection = new SshConnection(settings, TimeProvider.System, _ => { }))
        {
            var error = Assert.ThrowsAsync<SshAgentException>(() => connection.ConnectAsync(CancellationToken.None));
            Assert.That(error!.Message, Does.Contain("SSH_AUTH_SOCK"));
        }

        Environment.SetEnvironmentVariable(SshAgent.SocketVariable, _socket);
        await using (var connection = new SshConnection(settings, TimeProvider.System, _ => { }))
        {
            var error = Assert.ThrowsAsync<SshAgentException>(() => connection.ConnectAsync(CancellationToken.None));
            Assert.That(error!.Message, Does.Contain("no identities"));
        }

        AddKey("ed25519", "id_ed25519");
        var log = new List<string>();
        await using (var connection = new SshConnection(settings, TimeProvider.System, log.Add))
        {
            // Nothing listens on port 1: the keys came from the agent, then the TCP connect itself fails.
            Assert.CatchAsync(() => connection.ConnectAsync(CancellationToken.None));
            Assert.That(log, Has.Some.Contain("using ssh-agent at " + _socket).And.Contain("ssh-ed25519 id_ed25519@disagg-test"));
        }
    }

    [RequiresCluster(Needs.Ssh)]
    [Test, Category("cluster"), CancelAfter(60_000)]
    public async Task Logs_in_to_the_local_sshd_with_the_key_held_by_the_agent(CancellationToken token)
    {
        // The local cluster's own client key, loaded into the agent only: the profile names no key file.
        Run("ssh-add", SshTestCluster.Get("DISAGG_SSH_KEY"));
        Environment.SetEnvironmentVariable(SshAgent.SocketVariable, _socket);
        var settings = SshTestCluster.Settings() with { KeyPath = ClusterProfileLoader.AgentKey };
        await using var connection = SshTestCluster.Connect(settings);
        var result = await new SshCommandRunner(connection).RunAsync(Command.Of("echo", "logged in through the agent"), token);
        Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((0, "logged in through the agent")));
    }

    /// <summary>Reads the format name of an SSH signature blob (string format, string signature).</summary>
    private sealed class SignatureKeyDataReader(byte[] blob)
    {
        public string Format { get; } = Encoding.ASCII.GetString(blob, 4, (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(blob));
    }
}
