using Disagg.Harness.Configuration;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Writes one test to PostgreSQL in one transaction, keyed by (run id, test id, concurrency): a retry
/// replaces the rows instead of adding more. Migrations run once per writer, at first use.
/// </summary>
public sealed class PerfDbWriter(string connectionString)
{
    private readonly SemaphoreSlim _migrated = new(1, 1);
    private bool _ready;

    public string Display => PerfDbSettings.Describe(connectionString);

    public async Task UpsertAsync(PerfDbRun run, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await EnsureSchemaAsync(connection, cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            await Exec(connection, tx, """
                INSERT INTO perf_runs (run_id, ci) VALUES ($1, $2)
                ON CONFLICT (run_id) DO UPDATE SET ci = EXCLUDED.ci
                """, cancellationToken, run.RunId, Jsonb(run.CiJson));
            await Exec(connection, tx, """
                INSERT INTO perf_tests (run_id, test_id, passed, problems, gpu_type, benchmark_mode, num_ctx_servers, num_gen_servers,
                                        config, job_id, job_state, job_exit_code, job_nodes, started_at, finished_at, duration_s)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                ON CONFLICT (run_id, test_id) DO UPDATE SET
                    passed = EXCLUDED.passed, problems = EXCLUDED.problems, gpu_type = EXCLUDED.gpu_type,
                    benchmark_mode = EXCLUDED.benchmark_mode, num_ctx_servers = EXCLUDED.num_ctx_servers,
                    num_gen_servers = EXCLUDED.num_gen_servers, config = EXCLUDED.config, job_id = EXCLUDED.job_id,
                    job_state = EXCLUDED.job_state, job_exit_code = EXCLUDED.job_exit_code, job_nodes = EXCLUDED.job_nodes,
                    started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, duration_s = EXCLUDED.duration_s,
                    uploaded_at = now()
                """, cancellationToken,
                run.RunId, run.TestId, run.Passed, Jsonb(JsonSerializer.Serialize(run.Problems)), run.GpuType, run.BenchmarkMode,
                run.NumCtxServers, run.NumGenServers, Jsonb(run.ConfigJson), Nullable(run.Job.JobId), Nullable(run.Job.State),
                Nullable(run.Job.ExitCode), Nullable(run.Job.Nodes), (object?)run.Job.StartedAt?.UtcDateTime ?? DBNull.Value,
                (object?)run.Job.FinishedAt?.UtcDateTime ?? DBNull.Value, run.Job.DurationSeconds);
            await Exec(connection, tx, "DELETE FROM perf_results WHERE run_id = $1 AND test_id = $2", cancellationToken, run.RunId, run.TestId);
            foreach (var c in run.Concurrencies)
            {
                await Exec(connection, tx, "INSERT INTO perf_results (run_id, test_id, concurrency, prompts, document) VALUES ($1, $2, $3, $4, $5)",
                    cancellationToken, run.RunId, run.TestId, c.Concurrency, (object?)c.Prompts ?? DBNull.Value, Jsonb(c.DocumentJson));
                foreach (var (metric, value) in c.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
                    await Exec(connection, tx, "INSERT INTO perf_metrics (run_id, test_id, concurrency, metric, value) VALUES ($1, $2, $3, $4, $5)",
                        cancellationToken, run.RunId, run.TestId, c.Concurrency, metric, value);
            }
            await tx.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            throw new UploadException("network", null,
                $"Perf DB upsert of {run.TestId} (run {run.RunId}) into {Display} failed: {e.Message}. Check that PostgreSQL is up and {PerfDbSettings.ConnectionVariable} is right.", e);
        }
    }

    private async Task EnsureSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_ready) return;
        await _migrated.WaitAsync(cancellationToken);
        try
        {
            if (!_ready) await PerfDbMigrations.ApplyAsync(connection, cancellationToken);
            _ready = true;
        }
        finally
        {
            _migrated.Release();
        }
    }

    private static NpgsqlParameter Jsonb(string json) => new() { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static object Nullable(string? value) => (object?)value ?? DBNull.Value;

    private static async Task Exec(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        foreach (var value in values) cmd.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
