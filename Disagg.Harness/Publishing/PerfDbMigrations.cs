using System.Data.Common;
using Npgsql;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Versioned schema of the Perf DB, applied at first use, the same for PostgreSQL and the embedded SQLite file
/// (<c>{json}</c> and <c>{timestamp}</c> become each store's column types, see <see cref="PerfDbStore.Render"/>). One
/// transaction holds the store's migration lock (an advisory lock / SQLite's write lock), so two runners starting
/// together apply each version once; versions already in <c>schema_migrations</c> are skipped.
/// </summary>
public static class PerfDbMigrations
{
    public static readonly IReadOnlyList<(int Version, string Name, string Sql)> All =
    [
        (1, "runs, tests, metrics", """
            CREATE TABLE perf_runs (
                run_id      text PRIMARY KEY,
                ci          {json} NOT NULL,
                first_seen  {timestamp} NOT NULL DEFAULT CURRENT_TIMESTAMP
            );
            CREATE TABLE perf_tests (
                run_id          text NOT NULL REFERENCES perf_runs(run_id) ON DELETE CASCADE,
                test_id         text NOT NULL,
                passed          boolean NOT NULL,
                problems        {json} NOT NULL,
                gpu_type        text NOT NULL,
                benchmark_mode  text NOT NULL,
                num_ctx_servers integer NOT NULL,
                num_gen_servers integer NOT NULL,
                config          {json} NOT NULL,
                job_id          text,
                job_state       text,
                job_exit_code   text,
                job_nodes       text,
                started_at      {timestamp},
                finished_at     {timestamp},
                duration_s      double precision NOT NULL,
                uploaded_at     {timestamp} NOT NULL DEFAULT CURRENT_TIMESTAMP,
                PRIMARY KEY (run_id, test_id)
            );
            CREATE TABLE perf_results (
                run_id       text NOT NULL,
                test_id      text NOT NULL,
                concurrency  integer NOT NULL,
                prompts      integer,
                document     {json} NOT NULL,
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
        // Issue 17: confirmation repeats are extra samples of a concurrency, never new concurrencies. perf_results and perf_metrics keep
        // their keys and hold sample 0 (the planned block); repeats 1, 2, ... go here, removed with their perf_results row.
        (2, "confirmation samples", """
            CREATE TABLE perf_samples (
                run_id       text NOT NULL,
                test_id      text NOT NULL,
                concurrency  integer NOT NULL,
                sample_index integer NOT NULL CHECK (sample_index >= 1),
                metric       text NOT NULL,
                value        double precision NOT NULL,
                PRIMARY KEY (run_id, test_id, concurrency, sample_index, metric),
                FOREIGN KEY (run_id, test_id, concurrency) REFERENCES perf_results(run_id, test_id, concurrency) ON DELETE CASCADE
            );
            """),
        (3, "failure classes, bad-node ledger, approved baselines", """
            ALTER TABLE perf_tests ADD COLUMN failure_class text;
            ALTER TABLE perf_tests ADD COLUMN cluster text;
            CREATE TABLE node_failures (
                run_id        text NOT NULL,
                test_id       text NOT NULL,
                job_id        text NOT NULL,
                node          text NOT NULL,
                cluster       text NOT NULL,
                cause         text NOT NULL,
                evidence      text NOT NULL,
                recorded_at   {timestamp} NOT NULL,
                PRIMARY KEY (run_id, test_id, job_id, node)
            );
            CREATE INDEX node_failures_node ON node_failures (node, recorded_at);
            CREATE TABLE baseline_approvals (
                approval_id  text PRIMARY KEY,
                cluster      text NOT NULL,
                gpu_type     text NOT NULL,
                test_id      text NOT NULL,
                run_id       text NOT NULL,
                approved_by  text NOT NULL,
                approved_at  {timestamp} NOT NULL,
                reason       text NOT NULL
            );
            CREATE INDEX baseline_approvals_test ON baseline_approvals (test_id, cluster, gpu_type, approved_at);
            """),
        // Issue 19 (trend, Pareto, compare): the history columns PerfDbWriter fills (PerfDbHistoryColumns), backfilled from
        // the stored JSON where it holds them, the per-GPU throughput (PerGpuThroughput; older rows from their documents' l_ctx_gpus and
        // l_gen_gpus, as PerGpuThroughput divides), and the indexes the readers use:
        // the newest runs of a test, a config family, and a run's tests in time order.
        (4, "history columns and indexes", """
            ALTER TABLE perf_tests ADD COLUMN run_at {timestamp};
            ALTER TABLE perf_tests ADD COLUMN model text;
            ALTER TABLE perf_tests ADD COLUMN isl integer;
            ALTER TABLE perf_tests ADD COLUMN osl integer;
            ALTER TABLE perf_tests ADD COLUMN category text;
            ALTER TABLE perf_tests ADD COLUMN container_image text;
            ALTER TABLE perf_tests ADD COLUMN git_commit text;
            ALTER TABLE perf_results ADD COLUMN output_tps_per_gpu double precision;
            ALTER TABLE perf_results ADD COLUMN throughput_gpus integer;
            UPDATE perf_tests SET
                run_at = COALESCE(finished_at, started_at, uploaded_at),
                model = config->'metadata'->>'model_name',
                isl = CAST(config->'benchmark'->>'input_length' AS integer),
                osl = CAST(config->'benchmark'->>'output_length' AS integer),
                container_image = config->'environment'->>'container_image',
                git_commit = (SELECT p.ci->>'Commit' FROM perf_runs p WHERE p.run_id = perf_tests.run_id);
            UPDATE perf_results SET throughput_gpus = (
                SELECT CASE WHEN t.benchmark_mode LIKE 'gen_only%'
                            THEN t.num_gen_servers * CAST(perf_results.document->>'l_gen_gpus' AS integer)
                            ELSE t.num_ctx_servers * COALESCE(CAST(perf_results.document->>'l_ctx_gpus' AS integer), 0)
                                 + t.num_gen_servers * CAST(perf_results.document->>'l_gen_gpus' AS integer) END
                FROM perf_tests t WHERE t.run_id = perf_results.run_id AND t.test_id = perf_results.test_id);
            UPDATE perf_results SET output_tps_per_gpu = (
                SELECT AVG(m.value) FROM perf_metrics m
                WHERE m.run_id = perf_results.run_id AND m.test_id = perf_results.test_id AND m.concurrency = perf_results.concurrency
                  AND m.metric = 'output_token_throughput') / throughput_gpus
            WHERE throughput_gpus > 0;
            CREATE INDEX perf_tests_trend ON perf_tests (test_id, run_at);
            CREATE INDEX perf_tests_family ON perf_tests (model, gpu_type, isl, osl, run_at);
            CREATE INDEX perf_tests_recent ON perf_tests (run_at);
            """),
    ];

    /// <summary>Applies missing versions on PostgreSQL; returns the versions applied by this call.</summary>
    public static Task<IReadOnlyList<int>> ApplyAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        ApplyAsync(new NpgsqlPerfDb(connection.ConnectionString), connection, cancellationToken);

    /// <summary>Applies missing versions on an open connection of <paramref name="store"/>; returns the versions applied by this call.</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(PerfDbStore store, DbConnection connection, CancellationToken cancellationToken)
    {
        // An up-to-date schema needs no lock and no DDL, so readers with SELECT-only credentials (trend, compare, history) work.
        if (await AllAppliedAsync(connection, cancellationToken).ConfigureAwait(false)) return [];
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await store.LockForMigrationAsync(connection, tx, cancellationToken).ConfigureAwait(false);
        await Exec(connection, tx, store.Render("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at {timestamp} NOT NULL DEFAULT CURRENT_TIMESTAMP)
            """), cancellationToken).ConfigureAwait(false);
        var applied = new HashSet<int>();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT version FROM schema_migrations";
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                applied.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }
        var now = new List<int>();
        foreach (var (version, name, sql) in All.Where(m => !applied.Contains(m.Version)))
        {
            await Exec(connection, tx, store.Render(sql), cancellationToken).ConfigureAwait(false);
            await Exec(connection, tx, "INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", cancellationToken,
                ("version", version), ("name", name)).ConfigureAwait(false);
            now.Add(version);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return now;
    }

    /// <summary>True when every version of <see cref="All"/> is recorded; false when it is not or the table cannot be read.</summary>
    private static async Task<bool> AllAppliedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var applied = new HashSet<int>();
        try
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT version FROM schema_migrations";
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                applied.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (DbException)
        {
            return false;
        }
        return All.All(m => applied.Contains(m.Version));
    }

    internal static async Task Exec(DbConnection connection, DbTransaction tx, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] values)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in values)
        {
            if (value is DbParameter given)
            {
                cmd.Parameters.Add(given);
                continue;
            }
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            cmd.Parameters.Add(parameter);
        }
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
