using Disagg.Harness.Tests.Fixtures;
using Npgsql;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// A throwaway database on the local cluster's PostgreSQL (DISAGG_PERFDB_CONNECTION from the environment, else from
/// cluster.env, as <see cref="LocalCluster.Setting"/> finds it), dropped afterwards. Tests that use it are marked
/// <c>[RequiresCluster(Needs.Postgres)]</c>; a server that answers but refuses still fails the test with a message.
/// </summary>
internal sealed class PostgresScratch : IAsyncDisposable
{
    private readonly string _admin;

    private PostgresScratch(string admin, string database, string connection)
    {
        _admin = admin;
        Database = database;
        ConnectionString = connection;
    }

    public string Database { get; }
    public string ConnectionString { get; }

    public static async Task<PostgresScratch> CreateAsync()
    {
        var configured = LocalCluster.Setting("DISAGG_PERFDB_CONNECTION");
        if (configured is null)
            Assert.Fail($"DISAGG_PERFDB_CONNECTION is not set in the environment nor in {LocalCluster.EnvFile}; "
                        + "start the cluster with scripts/local-cluster.sh up.");
        var admin = new NpgsqlConnectionStringBuilder(configured)
        {
            Timeout = 5,
            Pooling = false,
        };
        var database = "disagg_test_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            Assert.Fail($"PostgreSQL at {admin.Host}:{admin.Port} (user {admin.Username}, from DISAGG_PERFDB_CONNECTION) is not usable: {e.Message}. " +
                        "Start it with scripts/local-cluster.sh up, or point DISAGG_PERFDB_CONNECTION at a server whose role may CREATE DATABASE.");
        }
        var scratch = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database, Pooling = true };
        return new PostgresScratch(admin.ConnectionString, database, scratch.ConnectionString);
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
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
