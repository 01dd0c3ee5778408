namespace Disagg.Harness.Publishing;

/// <summary>
/// <c>UPLOAD_TO_PERFDB</c> (unset or <c>true</c>/<c>1</c> uploads, <c>false</c>/<c>0</c> skips, anything else is a
/// configuration error) and <c>DISAGG_PERFDB_CONNECTION</c> (an Npgsql connection string; without one the Perf DB is
/// the embedded SQLite file <c>&lt;results-dir&gt;/perfdb.sqlite</c>).
/// </summary>
public static class PerfDbSettings
{
    public const string EnableVariable = "UPLOAD_TO_PERFDB";
    public const string ConnectionVariable = "DISAGG_PERFDB_CONNECTION";

    public static bool Enabled(IReadOnlyDictionary<string, string> env) =>
        env.GetValueOrDefault(EnableVariable)?.Trim().ToLowerInvariant() switch
        {
            null or "" or "true" or "1" => true,
            "false" or "0" => false,
            var other => throw new UploadException("config", null,
                $"{EnableVariable}='{other}' is not valid; use true (default) or false. This is a configuration error: fix the variable and rerun"),
        };

    public static string? Connection(IReadOnlyDictionary<string, string> env) =>
        env.GetValueOrDefault(ConnectionVariable) is { Length: > 0 } c ? c : null;

    /// <summary>
    /// The Perf DB teardown and <c>upload-pending</c> write to: null when <c>UPLOAD_TO_PERFDB</c> is false, PostgreSQL when
    /// <c>DISAGG_PERFDB_CONNECTION</c> is set, else the SQLite file in the results folder. Throws <see cref="UploadException"/>
    /// (config) on an invalid <c>UPLOAD_TO_PERFDB</c> or an unreadable <c>DISAGG_PERFDB_CONNECTION</c>.
    /// </summary>
    public static PerfDbStore? Store(IReadOnlyDictionary<string, string> env, string resultsDir) =>
        !Enabled(env) ? null
        : Connection(env) is { } connection ? new NpgsqlPerfDb(Checked(connection))
        : SqlitePerfDb.For(env, resultsDir);

    /// <summary>
    /// A connection string Npgsql can read, else a configuration error. The message never repeats the string: it
    /// usually holds a password.
    /// </summary>
    private static string Checked(string connection)
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connection);
            return connection;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new UploadException("config", null,
                $"{ConnectionVariable} is not a valid Npgsql connection string ({e.GetType().Name}); " +
                "write it as Host=...;Port=...;Username=...;Password=...;Database=...");
        }
    }

    /// <summary>Host, port, database and user only: safe for logs and messages.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return $"{b.Username}@{b.Host}:{b.Port}/{b.Database}";
        }
        catch (ArgumentException)
        {
            return "(unparsable connection string)";
        }
    }
}
