using Npgsql;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Versioned schema of the Perf DB, applied at first use. One transaction holds an advisory lock, so two
/// runners starting together apply each version once; versions already in <c>schema_migrations</c> are skipped.
/// </summary>
public static class PerfDbMigrations
{
    private const long LockKey = 0x0D15A66_0001;

    public static readonly IReadOnlyList<(int Version, string Name, string Sql)> All =
    [
        (1, "runs, tests, metrics", """
            CREATE TABLE perf_runs (
                run_id      text PRIMARY KEY,
                ci          jsonb NOT NULL,
                first_seen  timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE perf_tests (
                run_id          text NOT NULL REFERENCES perf_runs(run_id) ON DELETE CASCADE,
                test_id         text NOT NULL,
                passed          boolean NOT NULL,
                problems        jsonb NOT NULL,
                gpu_type        text NOT NULL,
                benchmark_mode  text NOT NULL,
                num_ctx_servers integer NOT NULL,
                num_gen_servers integer NOT NULL,
                config          jsonb NOT NULL,
                job_id          text,
                job_state       text,
                job_exit_code   text,
                job_nodes       text,
                started_at      timestamptz,
                finished_at     timestamptz,
                duration_s      double precision NOT NULL,
                uploaded_at     timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (run_id, test_id)
            );
            CREATE TABLE perf_results (
                run_id       text NOT NULL,
                test_id      text NOT NULL,
                concurrency  integer NOT NULL,
                prompts      integer,
                document     jsonb NOT NULL,
                PRIMARY KEY (run_id, test_id, concurrency),
                FOREIGN KEY (run_id, test_id) REFERENCES perf_tests(run_id, test_id) ON DELETE CASCADE
            );
            CREATE TABLE perf_metrics (
                run_id       text NOT NULL,
                test_id      text NOT NULL,
                concurrency  integer NOT NULL,
                metric       text NOT NULL,
                value        double precision NOT NULL,
                PRIMARY KEY (run_id, test_id, concurrency, metric),
                FOREIGN KEY (run_id, test_id, concurrency) REFERENCES perf_results(run_id, test_id, concurrency) ON DELETE CASCADE
            );
            CREATE INDEX perf_metrics_history ON perf_metrics (test_id, metric, concurrency);
            """),
    ];

    /// <summary>Applies missing versions; returns the versions applied by this call.</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await Exec(connection, tx, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        await Exec(connection, tx, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken);
        var applied = new HashSet<int>();
        await using (var cmd = new NpgsqlCommand("SELECT version FROM schema_migrations", connection, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetInt32(0));
        var now = new List<int>();
        foreach (var (version, name, sql) in All.Where(m => !applied.Contains(m.Version)))
        {
            await Exec(connection, tx, sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection, tx);
            record.Parameters.Add(new() { Value = version });
            record.Parameters.Add(new() { Value = name });
            await record.ExecuteNonQueryAsync(cancellationToken);
            now.Add(version);
        }
        await tx.CommitAsync(cancellationToken);
        return now;
    }

    private static async Task Exec(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
