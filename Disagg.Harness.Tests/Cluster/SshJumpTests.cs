using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Cluster;

/// <summary>
/// <c>ssh.jump</c> against the local cluster's sshd playing both parts: the jump host is 127.0.0.1:2222 and the
/// target, 127.0.0.1:2222 again, is reached through a local forward over the jump's connection. Each side has its
/// own known_hosts file, so the target's key is checked separately from the jump's.
/// </summary>
[RequiresCluster(Needs.Ssh)]
[Category("cluster")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[NonParallelizable]
public sealed class SshJumpTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("disagg-jump-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    private static string RealEntry => File.ReadLines(SshTestCluster.Get("DISAGG_SSH_KNOWN_HOSTS")).First(l => l.StartsWith('['));
    private static string Name => KnownHosts.HostName(SshTestCluster.Settings().Host, SshTestCluster.Settings().Port);

    private string KnownHostsFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private SshSettings Through(string targetKnownHosts, string jumpKnownHosts, bool trustJump = false) =>
        SshTestCluster.Settings(targetKnownHosts) with { Jump = SshTestCluster.Settings(jumpKnownHosts, trustJump) };

    private static string OtherKey()
    {
        var blob = new List<byte> { 0, 0, 0, 11 };
        blob.AddRange("ssh-ed25519"u8.ToArray());
        blob.AddRange(new byte[] { 0, 0, 0, 32 });
        blob.AddRange(RandomNumberGenerator.GetBytes(32));
        return Convert.ToBase64String(blob.ToArray());
    }

    /// <summary>The client port the target's sshd saw (SSH_CONNECTION); through a jump it is the jump sshd's socket, not ours.</summary>
    private static int ClientPort(CommandResult result) =>
        int.Parse(result.StandardOutput.Trim().Split(' ')[1], CultureInfo.InvariantCulture);

    [Test, CancelAfter(25_000)]
    public async Task Commands_and_sftp_go_through_the_jump_host(CancellationToken token)
    {
        var settings = Through(KnownHostsFile("target", RealEntry + "\n"), KnownHostsFile("jump", RealEntry + "\n"));
        await using var connection = SshTestCluster.Connect(settings);
        var runner = new SshCommandRunner(connection);
        var files = new SftpClusterFiles(connection);
        var root = $"/tmp/disagg-jump-{Guid.NewGuid():N}";
        try
        {
            await connection.ConnectAsync(token);
            var seen = await runner.RunAsync(Command.Of("bash", "-c", "echo $SSH_CONNECTION"), token);
            await files.WriteAsync($"{root}/staged.txt", "through the jump\n", executable: false, token);
            var catted = await runner.RunAsync(Command.Of("cat", $"{root}/staged.txt"), token);
            var readBack = await files.ReadFromAsync($"{root}/staged.txt", 0, token);
            TestContext.Out.WriteLine($"SSH_CONNECTION={seen.StandardOutput.Trim()} target={connection.Target}");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(seen.ExitCode, Is.Zero);
                Assert.That(SshdSessions.IsOurs(ClientPort(seen)), Is.False,
                    "the target's sshd must see a connection from the jump host's sshd, not from this process");
                Assert.That(catted.StandardOutput, Is.EqualTo("through the jump\n"), "the file staged by SFTP is there for commands");
                Assert.That(Encoding.UTF8.GetString(readBack), Is.EqualTo("through the jump\n"));
                Assert.That(connection.JumpConnects, Is.EqualTo(1), "one jump connection carries both clients");
                Assert.That(connection.Target, Does.Contain($" via {settings.Jump!.User}@{settings.Jump.Host}:{settings.Jump.Port}"));
            }
        }
        finally
        {
            await runner.RunAsync(Command.Of("rm", "-rf", root), CancellationToken.None);
        }
    }

    [Test, CancelAfter(25_000)]
    public async Task A_changed_target_key_behind_the_jump_is_refused(CancellationToken token)
    {
        var wrong = OtherKey();
        var targetFile = KnownHostsFile("target", $"{Name} ssh-ed25519 {wrong}\n");
        var settings = Through(targetFile, KnownHostsFile("jump", RealEntry + "\n")) with { TrustUnknownHost = true };
        await using var connection = SshTestCluster.Connect(settings);

        var refused = Assert.ThrowsAsync<SshHostKeyException>(async () => await connection.ConnectAsync(token));

        TestContext.Out.WriteLine(refused!.Message);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Status, Is.EqualTo(HostKeyStatus.Changed));
            Assert.That(refused.Message, Does.Contain($"the host key of {Name} has CHANGED").And.Contain(targetFile + " line 1"),
                "checked against the target's entry (its name and port), not the forward's 127.0.0.1:<ephemeral>");
            Assert.That(refused.Message, Does.Not.Contain("jump host"), "the jump host itself was accepted");
            Assert.That(connection.JumpConnects, Is.EqualTo(1), "the key was presented through the jump");
            Assert.That(File.ReadAllLines(targetFile), Has.Length.EqualTo(1), "a refused key is not recorded");
        }
    }

    [Test, CancelAfter(25_000)]
    public async Task An_unknown_jump_host_is_refused_without_the_trust_flag(CancellationToken token)
    {
        var jumpFile = KnownHostsFile("jump", $"example.org ssh-ed25519 {OtherKey()}\n");
        // The target's flag does not apply to the jump.
        var settings = Through(KnownHostsFile("target", RealEntry + "\n"), jumpFile) with { TrustUnknownHost = true };
        await using var connection = SshTestCluster.Connect(settings);

        var refused = Assert.ThrowsAsync<SshHostKeyException>(async () => await connection.ConnectAsync(token));

        TestContext.Out.WriteLine(refused!.Message);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Status, Is.EqualTo(HostKeyStatus.Unknown));
            Assert.That(refused.Message, Does.Contain($"the jump host {Name} is not in {jumpFile}").And.Contain("ssh.jump.trust_unknown_host"));
            Assert.That(connection.JumpConnects, Is.Zero);
            Assert.That(File.ReadAllLines(jumpFile), Has.Length.EqualTo(1), "nothing recorded without the jump's flag");
        }
    }

    [Test, CancelAfter(25_000)]
    public async Task A_dropped_jump_is_re_established_before_the_target(CancellationToken token)
    {
        var settings = Through(KnownHostsFile("target", RealEntry + "\n"), KnownHostsFile("jump", RealEntry + "\n"));
        await using var connection = SshTestCluster.Connect(settings, reconnectBudget: TimeSpan.FromSeconds(15));
        var runner = new SshCommandRunner(connection);
        Assert.That((await runner.RunAsync(Command.Of("true"), token)).ExitCode, Is.Zero);

        // Only the jump's TCP connection is ours; killing its sshd session takes the forwarded target session with it.
        var killed = SshdSessions.KillOurs(settings.Port, SshTestCluster.ListenerPid());
        TestContext.Out.WriteLine($"killed sshd sessions {string.Join(", ", killed)}");
        Assert.That(killed, Is.Not.Empty);

        var after = await runner.RunAsync(Command.Of("echo", "back"), token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(after.StandardOutput, Is.EqualTo("back\n"));
            Assert.That(connection.JumpConnects, Is.EqualTo(2), "the jump was connected again");
            Assert.That(connection.Reconnects, Is.GreaterThanOrEqualTo(1));
        }
    }
}
