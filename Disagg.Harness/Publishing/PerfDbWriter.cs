using System.Data.Common;
using System.Text.Json;
using Disagg.Harness.Common;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Writes one test to the Perf DB in one transaction, keyed by (run id, test id, concurrency): a retry replaces the
/// rows instead of adding more. The same SQL runs on PostgreSQL and on the embedded SQLite file; the
/// <see cref="PerfDbStore"/> supplies only what differs. Migrations run once per writer, at first use. A transient
/// failure (server down or restarting, a busy file) is retried up to <see cref="MaxAttempts"/> times on the injected
/// clock (<see cref="RetryPolicy"/>); what still fails is an <see cref="UploadException"/> and the payload stays in the outbox.
/// </summary>
public sealed class PerfDbWriter
{
    public const int MaxAttempts = 3;

    private readonly SemaphoreSlim _migrated = new(1, 1);
    private readonly TimeProvider _time;
    private readonly RetryPolicy _retry;
    private bool _ready;

    public PerfDbWriter(PerfDbStore store, TimeProvider? time = null)
    {
        Store = store;
        _time = time ?? TimeProvider.System;
        _retry = new RetryPolicy(MaxAttempts, Backoff, e => IsDatabaseError(e) && store.IsTransient(e), _time);
    }

    /// <summary>PostgreSQL through Npgsql.</summary>
    public PerfDbWriter(string connectionString) : this(new NpgsqlPerfDb(connectionString))
    {
    }

    public PerfDbStore Store { get; }

    public string Display => Store.Display;

    public static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(attempt * 0.5);

    public async Task UpsertAsync(PerfDbRun run, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            await _retry.RunAsync((attempt, token) =>
            {
                attempts = attempt;
                return UpsertOnceAsync(run, token);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDatabaseError(e) && !cancellationToken.IsCancellationRequested)
        {
            var tries = attempts == 1 ? "" : $" after {attempts} attempts";
            throw new UploadException(Store.IsTransient(e) ? "exhausted" : "non_retryable", null,
                $"Perf DB upsert of {run.TestId} (run {run.RunId}) into {Display} failed{tries}: {e.Message}. {Store.Hint}", e);
        }
    }

    private static bool IsDatabaseError(Exception e) =>
        e is DbException or TimeoutException or InvalidOperationException or IOException or System.Net.Sockets.SocketException;

    private async Task UpsertOnceAsync(PerfDbRun run, CancellationToken cancellationToken)
    {
        await using var connection = await Store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
        var now = Store.Timestamp(_time.GetUtcNow());
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await Exec(connection, tx, """
            INSERT INTO perf_runs (run_id, ci, first_seen) VALUES (@run_id, @ci, @now)
            ON CONFLICT (run_id) DO UPDATE SET ci = EXCLUDED.ci
            """, cancellationToken, ("run_id", run.RunId), ("ci", Store.Json("ci", run.CiJson)), ("now", now));
        await Exec(connection, tx, """
            INSERT INTO perf_tests (run_id, test_id, passed, problems, gpu_type, benchmark_mode, num_ctx_servers, num_gen_servers,
                                    config, job_id, job_state, job_exit_code, job_nodes, started_at, finished_at, duration_s, uploaded_at)
            VALUES (@run_id, @test_id, @passed, @problems, @gpu_type, @benchmark_mode, @num_ctx_servers, @num_gen_servers,
                    @config, @job_id, @job_state, @job_exit_code, @job_nodes, @started_at, @finished_at, @duration_s, @now)
            ON CONFLICT (run_id, test_id) DO UPDATE SET
                passed = EXCLUDED.passed, problems = EXCLUDED.problems, gpu_type = EXCLUDED.gpu_type,
                benchmark_mode = EXCLUDED.benchmark_mode, num_ctx_servers = EXCLUDED.num_ctx_servers,
                num_gen_servers = EXCLUDED.num_gen_servers, config = EXCLUDED.config, job_id = EXCLUDED.job_id,
                job_state = EXCLUDED.job_state, job_exit_code = EXCLUDED.job_exit_code, job_nodes = EXCLUDED.job_nodes,
                started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, duration_s = EXCLUDED.duration_s,
                uploaded_at = EXCLUDED.uploaded_at
            """, cancellationToken,
            ("run_id", run.RunId), ("test_id", run.TestId), ("passed", run.Passed),
            ("problems", Store.Json("problems", JsonSerializer.Serialize(run.Problems))), ("gpu_type", run.GpuType),
            ("benchmark_mode", run.BenchmarkMode), ("num_ctx_servers", run.NumCtxServers), ("num_gen_servers", run.NumGenServers),
            ("config", Store.Json("config", run.ConfigJson)), ("job_id", Nullable(run.Job.JobId)), ("job_state", Nullable(run.Job.State)),
            ("job_exit_code", Nullable(run.Job.ExitCode)), ("job_nodes", Nullable(run.Job.Nodes)),
            ("started_at", Store.Timestamp(run.Job.StartedAt)), ("finished_at", Store.Timestamp(run.Job.FinishedAt)),
            ("duration_s", run.Job.DurationSeconds), ("now", now));
        await Exec(connection, tx, "UPDATE perf_tests SET failure_class = @failure_class, cluster = @cluster WHERE run_id = @run_id AND test_id = @test_id",
            cancellationToken, ("failure_class", run.FailureClass), ("cluster", run.Cluster), ("run_id", run.RunId), ("test_id", run.TestId));
        await Exec(connection, tx, "DELETE FROM perf_results WHERE run_id = @run_id AND test_id = @test_id", cancellationToken,
            ("run_id", run.RunId), ("test_id", run.TestId));
        foreach (var c in run.Concurrencies)
        {
            await Exec(connection, tx,
                "INSERT INTO perf_results (run_id, test_id, concurrency, prompts, document) VALUES (@run_id, @test_id, @concurrency, @prompts, @document)",
                cancellationToken, ("run_id", run.RunId), ("test_id", run.TestId), ("concurrency", c.Concurrency),
                ("prompts", (object?)c.Prompts ?? DBNull.Value), ("document", Store.Json("document", c.DocumentJson)));
            foreach (var (metric, value) in c.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
                await Exec(connection, tx,
                    "INSERT INTO perf_metrics (run_id, test_id, concurrency, metric, value) VALUES (@run_id, @test_id, @concurrency, @metric, @value)",
                    cancellationToken, ("run_id", run.RunId), ("test_id", run.TestId), ("concurrency", c.Concurrency), ("metric", metric), ("value", value));
            for (var i = 0; i < c.Samples.Count; i++)
                foreach (var (metric, value) in c.Samples[i].Where(m => double.IsFinite(m.Value)).OrderBy(m => m.Key, StringComparer.Ordinal))
                    await Exec(connection, tx, "INSERT INTO perf_samples (run_id, test_id, concurrency, sample_index, metric, value) "
                        + "VALUES (@run_id, @test_id, @concurrency, @sample_index, @metric, @value)", cancellationToken, ("run_id", run.RunId),
                        ("test_id", run.TestId), ("concurrency", c.Concurrency), ("sample_index", i + 1), ("metric", metric), ("value", value));
        }
        await WriteHistoryColumnsAsync(connection, tx, run, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Migration 4's columns (trend, Pareto, compare), kept apart from the upserts above.</summary>
    private async Task WriteHistoryColumnsAsync(DbConnection connection, DbTransaction tx, PerfDbRun run, CancellationToken cancellationToken)
    {
        var h = run.History;
        await Exec(connection, tx, """
            UPDATE perf_tests SET run_at = COALESCE(finished_at, started_at, uploaded_at), model = @model, isl = @isl, osl = @osl,
                category = @category, container_image = @image, git_commit = @commit, cluster = @cluster
            WHERE run_id = @run_id AND test_id = @test_id
            """, cancellationToken, ("run_id", run.RunId), ("test_id", run.TestId), ("model", Nullable(h?.Model)),
            ("isl", (object?)h?.Isl ?? DBNull.Value), ("osl", (object?)h?.Osl ?? DBNull.Value), ("category", Nullable(h?.Category)),
            ("image", Nullable(h?.Image)), ("commit", Nullable(h?.Commit)), ("cluster", Nullable(h?.Cluster)));
        foreach (var c in run.Concurrencies.Where(c => c.OutputTpsPerGpu is not null))
            await Exec(connection, tx, """
                UPDATE perf_results SET output_tps_per_gpu = @per_gpu, throughput_gpus = @gpus
                WHERE run_id = @run_id AND test_id = @test_id AND concurrency = @concurrency
                """, cancellationToken, ("run_id", run.RunId), ("test_id", run.TestId), ("concurrency", c.Concurrency),
                ("per_gpu", c.OutputTpsPerGpu!.Value), ("gpus", (object?)c.ThroughputGpus ?? DBNull.Value));
    }

    private async Task EnsureSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (_ready) return;
        await _migrated.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_ready) await PerfDbMigrations.ApplyAsync(Store, connection, cancellationToken).ConfigureAwait(false);
            _ready = true;
        }
        finally
        {
            _migrated.Release();
        }
    }

    private static object Nullable(string? value) => (object?)value ?? DBNull.Value;

    private static Task Exec(DbConnection connection, DbTransaction tx, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] values) =>
        PerfDbMigrations.Exec(connection, tx, sql, cancellationToken, values);
}
