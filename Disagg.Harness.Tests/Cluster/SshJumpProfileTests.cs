using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Cluster;

/// <summary><c>ssh.jump</c> and <c>key: agent</c> in a cluster profile.</summary>
public sealed class SshJumpProfileTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("disagg-profile-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "p.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private const string Commands = "commands:\n  worker: w\n  disagg_server: d\n  benchmark_client: b\n";

    [Test]
    public void The_jump_section_is_read_with_its_own_settings()
    {
        var path = Write("""
            transport: ssh
            ssh:
              host: login01
              port: 2200
              user: me
              key: /k/target
              known_hosts: /k/known_target
              jump:
                host: bastion
                user: hop
                key: /k/jump
                known_hosts: /k/known_jump
                trust_unknown_host: true
            """ + "\n" + Commands);

        var ssh = ClusterProfileLoader.Load(path, "/repo").Ssh!;

        Assert.That(ssh, Is.EqualTo(new SshSettings("login01", 2200, "me", "/k/target", "/k/known_target", false,
            new SshSettings("bastion", 22, "hop", "/k/jump", "/k/known_jump", true))));
    }

    [Test]
    public void Key_agent_is_accepted_for_the_target_and_the_jump()
    {
        var path = Write("transport: ssh\nssh:\n  host: h\n  user: u\n  key: agent\n  known_hosts: /k\n"
            + "  jump:\n    host: j\n    user: u\n    key: agent\n    known_hosts: /k\n" + Commands);

        var ssh = ClusterProfileLoader.Load(path, "/repo").Ssh!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ssh.KeyPath, Is.EqualTo(ClusterProfileLoader.AgentKey));
            Assert.That(ssh.Jump!.KeyPath, Is.EqualTo(ClusterProfileLoader.AgentKey));
        }
    }

    [Test]
    public void A_jump_of_a_jump_is_an_unknown_key()
    {
        var path = Write("transport: ssh\nssh:\n  host: h\n  user: u\n  key: /k\n  known_hosts: /k\n"
            + "  jump:\n    host: j\n    user: u\n    key: /k\n    known_hosts: /k\n    jump:\n      host: x\n" + Commands);

        var error = Assert.Throws<ConfigException>(() => ClusterProfileLoader.Load(path, "/repo"));

        Assert.That(error!.Message, Does.Contain("ssh.jump.jump").And.Contain("unknown key"));
    }
}
