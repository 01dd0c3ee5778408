using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Where the Perf DB lives: PostgreSQL (<see cref="NpgsqlPerfDb"/>, from <c>DISAGG_PERFDB_CONNECTION</c>) or, without
/// a connection, an embedded SQLite file in the results folder (<see cref="SqlitePerfDb"/>). Only what differs between
/// the two is here: opening a connection, the JSON and time column types, the migration lock, how JSON and times are
/// bound, and which errors are worth a retry. The schema, the migrations and the upserts are shared SQL
/// (<see cref="PerfDbMigrations"/>, <see cref="PerfDbWriter"/>) with named <c>@parameters</c>, which both providers bind.
/// </summary>
public abstract class PerfDbStore
{
    /// <summary>Safe for logs: never a password.</summary>
    public abstract string Display { get; }

    /// <summary>Column type of JSON documents (<c>jsonb</c> / <c>text</c>).</summary>
    public abstract string JsonType { get; }

    /// <summary>Column type of instants (<c>timestamptz</c> / ISO-8601 <c>text</c>).</summary>
    public abstract string TimestampType { get; }

    /// <summary>The JSON array length function (jsonb_array_length / json_array_length).</summary>
    public abstract string JsonArrayLength { get; }

    /// <summary>A database without the Perf DB tables yet: no history, not an error.</summary>
    public abstract bool IsMissingTable(Exception error);

    public abstract DbConnection CreateConnection();

    /// <summary>Serialises concurrent migrators (two runners starting at once) inside <paramref name="tx"/>.</summary>
    public abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction tx, CancellationToken cancellationToken);

    public abstract DbParameter Json(string name, string json);

    public abstract object Timestamp(DateTimeOffset? value);

    /// <summary>A failure a later attempt may not see (server restarting, connection refused, a busy file).</summary>
    public abstract bool IsTransient(Exception error);

    /// <summary>What the message of a failed upload tells the user to check.</summary>
    public abstract string Hint { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The shared SQL with this store's column types (<c>{json}</c>, <c>{timestamp}</c>).</summary>
    public string Render(string sql) => sql.Replace("{json}", JsonType, StringComparison.Ordinal).Replace("{timestamp}", TimestampType, StringComparison.Ordinal);

    public override string ToString() => Display;
}

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

/// <summary>
/// The embedded Perf DB: one SQLite file (by default <c>&lt;results-dir&gt;/perfdb.sqlite</c>), same tables and keys,
/// JSON as text and instants as ISO-8601 text. Migrations hold the file's write lock (<c>BEGIN IMMEDIATE</c>).
/// </summary>
public sealed class SqlitePerfDb : PerfDbStore
{
    public const string FileName = "perfdb.sqlite";

    private readonly string _connectionString;

    public SqlitePerfDb(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    public const string PathVariable = "DISAGG_PERFDB_SQLITE";

    /// <summary>The default file of a results folder.</summary>
    public static SqlitePerfDb InResults(string resultsDir) => new(System.IO.Path.Combine(resultsDir, FileName));

    /// <summary><c>DISAGG_PERFDB_SQLITE</c> (a file kept across runs, so history builds up) or the results folder's file.</summary>
    public static SqlitePerfDb For(IReadOnlyDictionary<string, string> env, string resultsDir) =>
        env.GetValueOrDefault(PathVariable) is { Length: > 0 } path ? new SqlitePerfDb(path) : InResults(resultsDir);

    public string Path { get; }
    public override string Display => "SQLite " + Path;
    public override string JsonType => "text";
    public override string TimestampType => "text";
    public override string JsonArrayLength => "json_array_length";
    public override bool IsMissingTable(Exception error) => error is SqliteException e && e.Message.Contains("no such table", StringComparison.Ordinal);
    public override string Hint => $"The SQLite file needs a writable results folder; set {PerfDbSettings.ConnectionVariable} to use PostgreSQL instead.";

    public override DbConnection CreateConnection()
    {
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        return new SqliteConnection(_connectionString);
    }

    // BeginTransaction of Microsoft.Data.Sqlite is BEGIN IMMEDIATE: the write lock is already held.
    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction tx, CancellationToken cancellationToken) => Task.CompletedTask;

    public override DbParameter Json(string name, string json) => new SqliteParameter(name, SqliteType.Text) { Value = json };

    public override object Timestamp(DateTimeOffset? value) =>
        (object?)value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) ?? DBNull.Value;

    // SQLITE_BUSY (5) and SQLITE_LOCKED (6): another writer held the file longer than the busy timeout.
    public override bool IsTransient(Exception error) => error is SqliteException { SqliteErrorCode: 5 or 6 };
}
