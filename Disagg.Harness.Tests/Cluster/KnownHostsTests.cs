using System.Security.Cryptography;
using System.Text;
using Disagg.Harness.Cluster;

namespace Disagg.Harness.Tests.Cluster;

public sealed class KnownHostsTests
{
    [TestCase("[127.0.0.1]:2222", "[127.0.0.1]:2222", true)]
    [TestCase("127.0.0.1", "[127.0.0.1]:2222", false, Description = "a port-22 entry does not cover another port")]
    [TestCase("login*.example.org", "login3.example.org", true)]
    [TestCase("login?.example.org,!login9.example.org", "login9.example.org", false)]
    [TestCase("other,LOGIN.example.org", "login.example.org", true)]
    [TestCase("[10.0.0.*]:22022", "[10.0.0.7]:22022", true)]
    public void Matches_host_patterns_like_openssh(string patterns, string name, bool expected) =>
        Assert.That(KnownHosts.Matches(patterns, name), Is.EqualTo(expected));

    [Test]
    public void Matches_hashed_entries()
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        var hash = HMACSHA1.HashData(salt, Encoding.ASCII.GetBytes("[login.example.org]:2222"));
        var pattern = $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hash)}";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(KnownHosts.Matches(pattern, "[login.example.org]:2222"), Is.True);
            Assert.That(KnownHosts.Matches(pattern, "login.example.org"), Is.False);
        }
    }

    [Test]
    public void Fingerprint_and_key_type_follow_openssh()
    {
        var blob = new byte[] { 0, 0, 0, 11 }.Concat("ssh-ed25519"u8.ToArray()).Concat(new byte[] { 0, 0, 0, 1, 42 }).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(KnownHosts.KeyType(blob), Is.EqualTo("ssh-ed25519"));
            Assert.That(KnownHosts.Fingerprint(blob), Does.StartWith("SHA256:").And.Not.EndWith("="));
        }
    }
}
