using System.Net;
using System.Net.Sockets;
using Disagg.Harness.Cluster;
using Disagg.Harness.Tests.Fixtures;
using Npgsql;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// A separate, throwaway PostgreSQL 15 server (initdb + pg_ctl as the <c>postgres</c> user in a temp folder, loopback
/// on a free port, trust auth for role <c>disagg</c>) that a test may stop and start again. The project's own server on
/// 5432 is never touched. Deleted on dispose.
/// </summary>
internal sealed class TempPostgres : IAsyncDisposable
{
    private static readonly string Bin = Environment.GetEnvironmentVariable("DISAGG_PG_BIN") is { Length: > 0 } bin ? bin : "/usr/lib/postgresql/15/bin";

    private readonly string _root;

    private TempPostgres(string root, int port)
    {
        _root = root;
        Port = port;
    }

    public int Port { get; }
    private string Data => Path.Combine(_root, "data");
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=disagg;Database=postgres;Timeout=3;Command Timeout=10";

    public static async Task<TempPostgres> StartAsync()
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")))
            Assert.Fail($"PostgreSQL binaries not found in {Bin}; install postgresql-15 (scripts/local-cluster.sh up does) or set DISAGG_PG_BIN.");
        var root = Directory.CreateTempSubdirectory("disagg-pg-").FullName;
        var self = new TempPostgres(root, FreePort());
        if (IsRoot) await RunAsync("chown", ["postgres:postgres", root]);
        await self.PgAsync("initdb", "-D", self.Data, "-A", "trust", "-U", "disagg", "-E", "UTF8", "--no-sync");
        await self.StartServerAsync();
        return self;
    }

    public Task StartServerAsync() =>
        PgAsync("pg_ctl", "-D", Data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", "start");

    /// <summary>Fast shutdown: open sessions are disconnected, new ones are refused.</summary>
    public async Task StopServerAsync()
    {
        await PgAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "-t", "60", "stop");
        NpgsqlConnection.ClearAllPools();
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (File.Exists(Path.Combine(Data, "postmaster.pid"))) await PgAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task PgAsync(string tool, params string[] args) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(Bin, tool), .. args]) : RunAsync(Path.Combine(Bin, tool), args);

    private static Task RunAsync(string file, string[] args) =>
        TestProcesses.RunAsync(new Command(file, args).InDirectory("/").WithTimeout(TimeSpan.FromMinutes(2))
            .WithValidation(CommandResultValidation.ZeroExitCode, $"the throwaway PostgreSQL server in {Bin} could not be managed; its output above says why"),
            CancellationToken.None);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
