using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Disagg.Harness.Publishing;

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
