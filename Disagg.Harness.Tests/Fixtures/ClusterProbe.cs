using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Disagg.Harness.Tests.Fixtures;

/// <summary>
/// Whether the local cluster's services answer, found from its settings (<see cref="LocalCluster.Setting"/>) and one TCP
/// connect per service to loopback, each answer kept for the rest of the process. Test discovery asks this for every
/// marked fixture, so a probe must stay cheap and bounded: a closed loopback port refuses at once, and a port that
/// swallows the SYN gives up after <see cref="ConnectTimeout"/>. A host that is not loopback is not probed: a developer
/// pointed the tests at it on purpose, and discovery must not wait on the network.
/// </summary>
public sealed class ClusterProbe(string envFile, Func<string, string?> setting, Func<IPAddress, int, bool> portOpen)
{
    /// <summary>scripts/local-cluster.sh writes this port into slurm.conf (CTLD_PORT); cluster.env does not carry it.</summary>
    public const int SlurmctldPort = 6817;

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(300);

    private static readonly Lazy<ClusterProbe> Shared = new(() => new ClusterProbe(LocalCluster.EnvFile, LocalCluster.Setting, PortOpen));

    private static readonly string[] SshSettings = ["DISAGG_SSH_HOST", "DISAGG_SSH_PORT", "DISAGG_SSH_USER", "DISAGG_SSH_KEY", "DISAGG_SSH_KNOWN_HOSTS"];

    private readonly ConcurrentDictionary<Needs, string?> _answers = new();

    /// <summary>The probe of this test process, over the environment and <see cref="LocalCluster.EnvFile"/>.</summary>
    public static ClusterProbe Current => Shared.Value;

    public string EnvFile => envFile;

    /// <summary>One clause per needed service that does not answer, naming what is missing; empty when all answer.</summary>
    public IReadOnlyList<string> Missing(Needs needs) =>
        [.. new[] { Needs.Slurm, Needs.Ssh, Needs.Postgres }.Where(n => needs.HasFlag(n)).Select(n => _answers.GetOrAdd(n, Check)).OfType<string>()];

    /// <summary>Why a test with these needs cannot run here and how to fix it; null when it can.</summary>
    public string? Reason(Needs needs)
    {
        var missing = Missing(needs);
        return missing.Count == 0
            ? null
            : $"Needs the local cluster: {string.Join("; ", missing)}. Start it with `sudo bash scripts/local-cluster.sh up`; the tests then read "
              + $"{envFile} (the state folder is $DISAGG_CLUSTER_STATE, else <repo>/.local-cluster), where DISAGG_SSH_* and "
              + "DISAGG_PERFDB_CONNECTION set in the environment win over the file.";
    }

    /// <summary>True when a TCP connect to address:port succeeds within <see cref="ConnectTimeout"/>.</summary>
    public static bool PortOpen(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        try
        {
            socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private string? Check(Needs service) => service switch
    {
        Needs.Slurm => CheckSlurm(),
        Needs.Ssh => CheckSsh(),
        Needs.Postgres => CheckPostgres(),
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "one service at a time"),
    };

    // The env file is what marks a cluster started by scripts/local-cluster.sh (the SLURM tests read its state folder);
    // a slurmctld without it is someone else's.
    private string? CheckSlurm() =>
        !File.Exists(envFile) ? $"SLURM: {envFile} does not exist"
        : Listening("SLURM (slurmctld)", IPAddress.Loopback.ToString(), SlurmctldPort);

    private string? CheckSsh()
    {
        var unset = SshSettings.Where(n => setting(n) is null).ToList();
        if (unset.Count > 0) return $"sshd: {string.Join(", ", unset)} not set in the environment nor in {envFile}";
        return int.TryParse(setting("DISAGG_SSH_PORT"), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? Listening("sshd", setting("DISAGG_SSH_HOST")!, port)
            : $"sshd: DISAGG_SSH_PORT '{setting("DISAGG_SSH_PORT")}' is not a port number";
    }

    private string? CheckPostgres()
    {
        if (setting("DISAGG_PERFDB_CONNECTION") is not { } connection)
            return $"PostgreSQL: DISAGG_PERFDB_CONNECTION not set in the environment nor in {envFile}";
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connection);
        }
        catch (ArgumentException e)
        {
            return $"PostgreSQL: DISAGG_PERFDB_CONNECTION is not a connection string ({e.Message})";
        }
        return builder.Host is { Length: > 0 } host ? Listening("PostgreSQL", host, builder.Port) : "PostgreSQL: DISAGG_PERFDB_CONNECTION has no Host";
    }

    private string? Listening(string service, string host, int port)
    {
        var address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) && IPAddress.IsLoopback(parsed) ? parsed
            : null;
        return address is null || portOpen(address, port) ? null : $"{service}: nothing listens on {host}:{port}";
    }
}
