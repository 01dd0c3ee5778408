using System.Globalization;
using Disagg.Harness.Cluster;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Cluster;

/// <summary>
/// The local cluster's sshd as the SSH tests see it: DISAGG_SSH_* from the environment (scripts/test.sh
/// sources cluster.env), else from <see cref="LocalCluster.EnvFile"/>, copied into this process's
/// environment so <c>clusters/local-ssh.yaml</c> expands the same values. Tests that use it are marked
/// <c>[RequiresCluster(Needs.Ssh)]</c>, which checks the same settings before they run.
/// </summary>
internal static class SshTestCluster
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Values = new(Load);

    public static SshSettings Settings(string? knownHosts = null, bool trustUnknownHost = false) => new(
        Get("DISAGG_SSH_HOST"),
        int.Parse(Get("DISAGG_SSH_PORT"), CultureInfo.InvariantCulture),
        Get("DISAGG_SSH_USER"),
        Get("DISAGG_SSH_KEY"),
        knownHosts ?? Get("DISAGG_SSH_KNOWN_HOSTS"),
        trustUnknownHost);

    public static SshConnection Connect(SshSettings? settings = null, TimeSpan? reconnectBudget = null) =>
        new(settings ?? Settings(), TimeProvider.System, line => TestContext.Progress.WriteLine($"  [ssh] {line}"), reconnectBudget);

    /// <summary>The pid of the sshd listener that scripts/local-cluster.sh started.</summary>
    public static int ListenerPid()
    {
        var state = Get("DISAGG_CLUSTER_STATE");
        foreach (var name in new[] { "sshd.pid", "sshd.daemon.pid" })
        {
            var file = Path.Combine(state, "run", name);
            if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out var pid)) return pid;
        }
        throw new InvalidOperationException($"no sshd pid file under {state}/run; is the local cluster up (scripts/local-cluster.sh up)?");
    }

    public static string Get(string name) =>
        Values.Value.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new InvalidOperationException($"{name} is not set and not in {EnvFile}; start the local cluster "
                + "(scripts/local-cluster.sh up) and source its cluster.env");

    private static string EnvFile => LocalCluster.EnvFile;

    private static IReadOnlyDictionary<string, string> Load()
    {
        var values = new Dictionary<string, string>(LocalCluster.ReadEnvFile(EnvFile), StringComparer.Ordinal);
        foreach (var name in values.Keys.ToList())
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } set) values[name] = set;
            else Environment.SetEnvironmentVariable(name, values[name]);
        }
        foreach (var name in new[] { "DISAGG_SSH_HOST", "DISAGG_SSH_PORT", "DISAGG_SSH_USER", "DISAGG_SSH_KEY", "DISAGG_SSH_KNOWN_HOSTS",
            "DISAGG_CLUSTER_STATE" })
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } set) values[name] = set;
        return values;
    }
}
