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
    public string Render(string sql) => sql.Replace("{json}", JsonType, StringComparison.Ordinal)
        .Replace("{timestamp}", TimestampType, StringComparison.Ordinal);

    public override string ToString() => Display;
}
