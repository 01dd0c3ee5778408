using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Disagg.Harness.Publishing;

/// <summary>The Perf DB on PostgreSQL, through Npgsql.</summary>
public sealed class NpgsqlPerfDb(string connectionString) : PerfDbStore
{
    private const long LockKey = 0x0D15A66_0001;

    public string ConnectionString => connectionString;
    public override string Display => PerfDbSettings.Describe(connectionString);
    public override string JsonType => "jsonb";
    public override string TimestampType => "timestamptz";
    public override string JsonArrayLength => "jsonb_array_length";
    public override bool IsMissingTable(Exception error) => error is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable };
    public override string Hint => $"Check that PostgreSQL is up and {PerfDbSettings.ConnectionVariable} is right.";

    public override DbConnection CreateConnection() => new NpgsqlConnection(connectionString);

    public override async Task LockForMigrationAsync(DbConnection connection, DbTransaction tx, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT pg_advisory_xact_lock({LockKey})";
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override DbParameter Json(string name, string json) => new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = json };

    public override object Timestamp(DateTimeOffset? value) => (object?)value?.UtcDateTime ?? DBNull.Value;

    public override bool IsTransient(Exception error) => error switch
    {
        NpgsqlException { IsTransient: true } => true,
        // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now: the server is going down or starting.
        PostgresException p => p.SqlState is "57P01" or "57P02" or "57P03",
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        TimeoutException or SocketException or IOException => true,
        _ => false,
    };
}
