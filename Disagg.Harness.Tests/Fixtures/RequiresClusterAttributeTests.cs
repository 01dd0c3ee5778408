using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Disagg.Harness.Tests.Fixtures;

/// <summary>The decision of [RequiresCluster] over a probe whose settings and open ports the test chooses.</summary>
public sealed class RequiresClusterAttributeTests
{
    private static readonly Dictionary<string, string> Local = new(StringComparer.Ordinal)
    {
        ["DISAGG_SSH_HOST"] = "127.0.0.1",
        ["DISAGG_SSH_PORT"] = "2222",
        ["DISAGG_SSH_USER"] = "root",
        ["DISAGG_SSH_KEY"] = "/state/ssh/id_ed25519",
        ["DISAGG_SSH_KNOWN_HOSTS"] = "/state/ssh/known_hosts",
        ["DISAGG_PERFDB_CONNECTION"] = "Host=127.0.0.1;Port=5432;Username=disagg;Password=disagg;Database=disagg_perf",
    };

    private string _dir = "";
    private readonly List<int> _probed = [];

    private string EnvFile => Path.Combine(_dir, "cluster.env");

    [SetUp]
    public void CreateStateDir()
    {
        _dir = Directory.CreateTempSubdirectory("disagg-probe-").FullName;
        _probed.Clear();
    }

    [TearDown]
    public void RemoveStateDir() => Directory.Delete(_dir, recursive: true);

    private ClusterProbe Probe(IReadOnlyDictionary<string, string> settings, params int[] open) =>
        new(EnvFile, settings.GetValueOrDefault, (address, port) =>
        {
            _probed.Add(port);
            return IPAddress.IsLoopback(address) && open.Contains(port);
        });

    private ClusterProbe Running()
    {
        File.WriteAllText(EnvFile, "DISAGG_SSH_HOST=\"127.0.0.1\"\n");
        return Probe(Local, ClusterProbe.SlurmctldPort, 2222, 5432);
    }

    private static Test Apply(Needs needs, ClusterProbe probe, bool required, Action<Test>? before = null)
    {
        var test = new TestMethod(new MethodWrapper(typeof(Sample), nameof(Sample.Run)));
        before?.Invoke(test);
        RequiresClusterAttribute.Apply(test, needs, probe, required);
        return test;
    }

    private static string? Reason(Test test) => (string?)test.Properties.Get(PropertyNames.SkipReason);

    [TestCase(false)]
    [TestCase(true)]
    public void With_every_service_answering_the_test_runs(bool required)
    {
        var test = Apply(Needs.Slurm | Needs.Ssh | Needs.Postgres, Running(), required);

        Assert.That((test.RunState, Reason(test)), Is.EqualTo((RunState.Runnable, (string?)null)));
    }

    [Test]
    public void Without_the_cluster_the_test_is_ignored_naming_what_is_missing_and_how_to_start_it()
    {
        var test = Apply(Needs.Slurm | Needs.Ssh | Needs.Postgres, Probe(new Dictionary<string, string>()), required: false);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(test.RunState, Is.EqualTo(RunState.Ignored));
            Assert.That(Reason(test), Does.Contain($"SLURM: {EnvFile} does not exist")
                .And.Contain("sshd: DISAGG_SSH_HOST, DISAGG_SSH_PORT, DISAGG_SSH_USER, DISAGG_SSH_KEY, DISAGG_SSH_KNOWN_HOSTS not set")
                .And.Contain("PostgreSQL: DISAGG_PERFDB_CONNECTION not set")
                .And.Contain("`sudo bash scripts/local-cluster.sh up`")
                .And.Contain("$DISAGG_CLUSTER_STATE"));
            Assert.That(_probed, Is.Empty, "nothing to connect to without settings");
        }
    }

    [Test]
    public void Where_the_cluster_is_required_the_same_reason_fails_the_test()
    {
        var ignored = Apply(Needs.Slurm, Probe(Local), required: false);
        var failed = Apply(Needs.Slurm, Probe(Local), required: true);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.RunState, Is.EqualTo(RunState.NotRunnable), "NUnit reports a not-runnable test as failed");
            Assert.That(Reason(ignored), Is.Not.Null);
            Assert.That(Reason(failed), Does.StartWith(Reason(ignored)!).And.Contain("CI or DISAGG_REQUIRE_CLUSTER is set"));
        }
    }

    [Test]
    public void A_stopped_service_is_named_with_its_address_and_only_needed_services_are_probed()
    {
        File.WriteAllText(EnvFile, "");
        var probe = Probe(Local, ClusterProbe.SlurmctldPort, 5432);

        var ssh = Apply(Needs.Ssh, probe, required: false);
        var others = Apply(Needs.Slurm | Needs.Postgres, probe, required: false);
        var sshAgain = Apply(Needs.Ssh | Needs.Slurm, probe, required: false);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Reason(ssh), Does.StartWith("Needs the local cluster: sshd: nothing listens on 127.0.0.1:2222."));
            Assert.That(others.RunState, Is.EqualTo(RunState.Runnable));
            Assert.That(Reason(sshAgain), Is.EqualTo(Reason(ssh)));
            Assert.That(_probed, Is.EqualTo(new[] { 2222, ClusterProbe.SlurmctldPort, 5432 }), "each service once, the answer kept");
        }
    }

    [Test]
    public void Slurm_needs_the_env_file_of_the_local_cluster_even_with_slurmctld_listening()
    {
        var test = Apply(Needs.Slurm, Probe(Local, ClusterProbe.SlurmctldPort), required: false);

        Assert.That(Reason(test), Does.Contain($"SLURM: {EnvFile} does not exist"));
    }

    [Test]
    public void A_host_other_than_loopback_is_not_probed()
    {
        var remote = new Dictionary<string, string>(Local)
        {
            ["DISAGG_SSH_HOST"] = "login.cluster.invalid",
            ["DISAGG_PERFDB_CONNECTION"] = "Host=db.invalid;Username=u;Database=d",
        };

        var test = Apply(Needs.Ssh | Needs.Postgres, Probe(remote), required: true);

        Assert.That((test.RunState, _probed.Count), Is.EqualTo((RunState.Runnable, 0)));
    }

    [Test]
    public void A_test_ignored_for_its_own_reason_keeps_it()
    {
        var test = Apply(Needs.Slurm, Probe(Local), required: true, t =>
        {
            t.RunState = RunState.Ignored;
            t.Properties.Set(PropertyNames.SkipReason, "flaky on ARM");
        });

        Assert.That((test.RunState, Reason(test)), Is.EqualTo((RunState.Ignored, (string?)"flaky on ARM")));
    }

    [TestCase(null, null, false)]
    [TestCase("true", null, true)]
    [TestCase("1", null, true)]
    [TestCase("false", null, false)]
    [TestCase("0", null, false)]
    [TestCase("", null, false)]
    [TestCase(null, "1", true)]
    [TestCase("false", "1", true)]
    public void CI_or_DISAGG_REQUIRE_CLUSTER_requires_the_cluster(string? ci, string? require, bool required)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal) { ["CI"] = ci, ["DISAGG_REQUIRE_CLUSTER"] = require };

        Assert.That(RequiresClusterAttribute.Required(name => env.GetValueOrDefault(name)), Is.EqualTo(required));
    }

    [Test]
    public void A_real_probe_sees_a_listener_and_a_closed_port_within_the_connect_timeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var open = ((IPEndPoint)listener.LocalEndpoint).Port;
        int closed;
        using (var spare = new TcpListener(IPAddress.Loopback, 0))
        {
            spare.Start();
            closed = ((IPEndPoint)spare.LocalEndpoint).Port;
        }

        var clock = Stopwatch.StartNew();
        var (sawOpen, sawClosed) = (ClusterProbe.PortOpen(IPAddress.Loopback, open), ClusterProbe.PortOpen(IPAddress.Loopback, closed));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((sawOpen, sawClosed), Is.EqualTo((true, false)));
            Assert.That(clock.Elapsed, Is.LessThan(ClusterProbe.ConnectTimeout * 2), "discovery must not wait on a probe");
        }
    }

    private static class Sample
    {
        public static void Run()
        {
        }
    }
}
