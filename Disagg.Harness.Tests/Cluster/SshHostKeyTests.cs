using System.Security.Cryptography;
using Disagg.Harness.Cluster;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Cluster;

/// <summary>Host key checks against the local cluster's sshd with known_hosts files made for each case.</summary>
[RequiresCluster(Needs.Ssh)]
[Category("cluster")]
[NonParallelizable]
public sealed class SshHostKeyTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("disagg-known-hosts-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    private static string RealEntry => File.ReadLines(SshTestCluster.Get("DISAGG_SSH_KNOWN_HOSTS")).First(l => l.StartsWith('['));
    private static string RealKey => RealEntry.Split(' ')[2];
    private static string Name => KnownHosts.HostName(SshTestCluster.Settings().Host, SshTestCluster.Settings().Port);

    private string KnownHostsFile(string content)
    {
        var path = Path.Combine(_dir, "known_hosts");
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<Exception?> ConnectAsync(string knownHosts, bool trust, CancellationToken token)
    {
        await using var connection = SshTestCluster.Connect(SshTestCluster.Settings(knownHosts, trust));
        try
        {
            await connection.ConnectAsync(token);
            var result = await new SshCommandRunner(connection).RunAsync(Command.Of("true"), token);
            Assert.That(result.ExitCode, Is.Zero);
            return null;
        }
        catch (SshHostKeyException e)
        {
            return e;
        }
    }

    /// <summary>A well-formed ed25519 public key blob that is not the server's.</summary>
    private static string OtherKey()
    {
        var blob = new List<byte> { 0, 0, 0, 11 };
        blob.AddRange("ssh-ed25519"u8.ToArray());
        blob.AddRange(new byte[] { 0, 0, 0, 32 });
        blob.AddRange(RandomNumberGenerator.GetBytes(32));
        return Convert.ToBase64String(blob.ToArray());
    }

    [Test, CancelAfter(20_000)]
    public async Task A_changed_host_key_is_refused_naming_the_file_and_both_fingerprints_even_when_trusting(CancellationToken token)
    {
        var wrong = OtherKey();
        var file = KnownHostsFile($"# other hosts\nexample.org ssh-ed25519 {OtherKey()}\n{Name} ssh-ed25519 {wrong}\n");

        var refused = await ConnectAsync(file, trust: false, token);
        var refusedWhenTrusting = await ConnectAsync(file, trust: true, token);

        TestContext.Out.WriteLine(refused?.Message);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused, Is.TypeOf<SshHostKeyException>());
            Assert.That(((SshHostKeyException)refused!).Status, Is.EqualTo(HostKeyStatus.Changed));
            Assert.That(refused.Message, Does.Contain("CHANGED").And.Contain(file + " line 3"));
            Assert.That(refused.Message, Does.Contain(KnownHosts.Fingerprint(Convert.FromBase64String(wrong))), "the fingerprint on file");
            Assert.That(refused.Message, Does.Contain(KnownHosts.Fingerprint(Convert.FromBase64String(RealKey))), "the fingerprint presented");
            Assert.That(refusedWhenTrusting, Is.TypeOf<SshHostKeyException>(), "trust_unknown_host must not accept a changed key");
            Assert.That(File.ReadAllLines(file), Has.Length.EqualTo(3), "a refused key is not recorded");
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task An_unknown_host_is_refused_without_the_trust_flag(CancellationToken token)
    {
        var file = KnownHostsFile($"localhost ssh-ed25519 {RealKey}\n"); // port 22's entry is a different host name

        var refused = await ConnectAsync(file, trust: false, token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused, Is.TypeOf<SshHostKeyException>());
            Assert.That(((SshHostKeyException)refused!).Status, Is.EqualTo(HostKeyStatus.Unknown));
            Assert.That(refused.Message, Does.Contain($"{Name} is not in {file}").And.Contain(KnownHosts.Fingerprint(Convert.FromBase64String(RealKey))));
            Assert.That(refused.Message, Does.Contain("trust_unknown_host"), "the message names the way out");
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task An_unknown_host_is_accepted_and_recorded_with_the_trust_flag(CancellationToken token)
    {
        var file = Path.Combine(_dir, "new", "known_hosts");

        var trusted = await ConnectAsync(file, trust: true, token);
        var again = await ConnectAsync(file, trust: false, token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(trusted, Is.Null, "accepted on first use");
            Assert.That(File.ReadAllLines(file), Is.EqualTo(new[] { $"{Name} ssh-ed25519 {RealKey}" }), "recorded once, in OpenSSH format");
            Assert.That(again, Is.Null, "the recorded key is known without the flag");
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Hashed_entries_written_by_ssh_keygen_are_understood(CancellationToken token)
    {
        var file = KnownHostsFile(RealEntry + "\n");
        var keygen = await TestProcesses.RunAsync(Command.Of("ssh-keygen", "-q", "-H", "-f", file), token);
        TestContext.Out.WriteLine(keygen.StandardOutput + keygen.StandardError);
        Assert.That(File.ReadAllText(file), Does.StartWith("|1|"), "ssh-keygen -H must have hashed the entry");

        Assert.That(await ConnectAsync(file, trust: false, token), Is.Null);
    }
}
