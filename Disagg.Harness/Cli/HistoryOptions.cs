using Disagg.Harness.Publishing;

namespace Disagg.Harness.Cli;

/// <summary>
/// What <c>disagg trend / pareto / compare</c> share: where the Perf DB is (<c>--db</c> a PostgreSQL connection string,
/// default <c>DISAGG_PERFDB_CONNECTION</c>; or <c>--sqlite FILE</c>, default <c>DISAGG_PERFDB_SQLITE</c>), the selection,
/// the metrics and where to write.
/// </summary>
public sealed record HistoryOptions(
    string? Db,
    string? Sqlite,
    HistoryFilter Filter,
    IReadOnlyList<string> Metrics,
    int Last,
    string Out)
{
    /// <summary>The metrics trend charts by default: throughput, per-GPU throughput and the median latencies.</summary>
    public static readonly IReadOnlyList<string> KeyMetrics =
        ["output_token_throughput", PerfHistoryReader.PerGpuMetric, "median_ttft_ms", "median_tpot_ms"];

    /// <summary>
    /// The store the options name, or null after writing why to <paramref name="error"/>. A SQLite file must exist (reading
    /// never creates one); a connection string must parse. Never echoes a password.
    /// </summary>
    public PerfDbStore? Store(Func<string, string?> env, TextWriter error, string verb)
    {
        // Options first; then, like the uploads (PerfDbSettings.Store), the PostgreSQL connection before the SQLite file.
        var fromEnv = Db is null && Sqlite is null;
        var db = Db ?? (fromEnv ? env(PerfDbSettings.ConnectionVariable) : null);
        var sqlite = Sqlite ?? (fromEnv && db is not { Length: > 0 } ? env(SqlitePerfDb.PathVariable) : null);
        if (sqlite is { Length: > 0 })
        {
            if (File.Exists(sqlite)) return new SqlitePerfDb(sqlite);
            error.WriteLine($"{verb}: the SQLite Perf DB '{sqlite}' does not exist; pass the perfdb.sqlite of a results folder " +
                            $"(or the file {SqlitePerfDb.PathVariable} names), or --db for PostgreSQL");
            return null;
        }
        if (db is { Length: > 0 })
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(db);
                return new NpgsqlPerfDb(db);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                error.WriteLine($"{verb}: --db / {PerfDbSettings.ConnectionVariable} is not a valid Npgsql connection string ({e.GetType().Name}); " +
                                "write it as Host=...;Port=...;Username=...;Password=...;Database=...");
                return null;
            }
        }
        error.WriteLine($"{verb}: no Perf DB given; pass --db CONNECTION (PostgreSQL) or --sqlite FILE, or set {PerfDbSettings.ConnectionVariable} " +
                        $"or {SqlitePerfDb.PathVariable}");
        return null;
    }
}
