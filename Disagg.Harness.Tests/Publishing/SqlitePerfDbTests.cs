using System.Text.Json.Nodes;
using Disagg.Harness.Publishing;
using Disagg.Harness.Tests.Fixtures;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// The embedded Perf DB (no <c>DISAGG_PERFDB_CONNECTION</c>): a SQLite file in the results folder with the PostgreSQL
/// schema, the same migrations and idempotent upserts, whose rows match the parsed results exactly.
/// </summary>
[NonParallelizable]
public sealed class SqlitePerfDbTests
{
    private string _results = null!;

    [SetUp]
    public void CreateFolder() => _results = Directory.CreateTempSubdirectory("disagg-sqlite-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_results, recursive: true);

    private static Dictionary<string, string> Env() => new(PublishingSamples.JenkinsPostMerge);

    [Test]
    public void The_native_sqlite_library_loads()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT sqlite_version()";
        Assert.That((string)cmd.ExecuteScalar()!, Does.Match(@"^3\.\d+\.\d+$"));
    }

    [Test]
    public async Task Concurrent_first_use_applies_each_migration_exactly_once()
    {
        var store = SqlitePerfDb.InResults(_results);
        async Task<IReadOnlyList<int>> Migrate()
        {
            await using var connection = await store.OpenAsync(CancellationToken.None);
            return await PerfDbMigrations.ApplyAsync(store, connection, CancellationToken.None);
        }
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Migrate)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.SelectMany(r => r), Is.EqualTo(PerfDbMigrations.All.Select(m => m.Version)));
            Assert.That(await PerfDbRows.ScalarAsync<long>(store, "SELECT count(*) FROM schema_migrations"), Is.EqualTo(PerfDbMigrations.All.Count));
            Assert.That(await Migrate(), Is.Empty);
        }
    }

    [Test]
    public async Task A_read_only_reader_of_an_up_to_date_schema_needs_no_write()
    {
        var store = SqlitePerfDb.InResults(_results);
        await using (var owner = await store.OpenAsync(CancellationToken.None))
            await PerfDbMigrations.ApplyAsync(store, owner, CancellationToken.None);
        var readOnly = new SqliteConnectionStringBuilder { DataSource = store.Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using (var reader = new SqliteConnection(readOnly))
        {
            await reader.OpenAsync();
            Assert.That(await PerfDbMigrations.ApplyAsync(store, reader, CancellationToken.None), Is.Empty);
        }

        // The same read-only connection to a schema that still lacks a version has to write, and cannot.
        await PerfDbRows.ScalarAsync<long>(store, $"DELETE FROM schema_migrations WHERE version = {PerfDbMigrations.All[^1].Version}");
        await using var stale = new SqliteConnection(readOnly);
        await stale.OpenAsync();
        Assert.That(async () => await PerfDbMigrations.ApplyAsync(store, stale, CancellationToken.None), Throws.InstanceOf<SqliteException>());
    }

    [Test]
    public async Task Publishing_without_a_connection_fills_results_perfdb_sqlite_with_rows_equal_to_the_parsed_results()
    {
        var env = Env();
        var records = new[]
        {
            PublishingSamples.Record(env, runId: "sqlite-e2e"),
            PublishingSamples.Record(env, runId: "sqlite-e2e", testId: "disagg_perf_other", jobId: "1002")
        };
        var publisher = ResultPublisher.Create(_results, env, new ImmediateTime(), _ => { }, new HttpClient());
        foreach (var record in records)
        {
            var report = await publisher.PublishAsync(record, CancellationToken.None);
            Assert.That(report.Failures, Is.Empty, string.Join("\n", report.Lines));
        }
        // A resend of the same test (retry, upload-pending) replaces its rows.
        await ResultPublisher.Create(_results, env, new ImmediateTime(), _ => { }, new HttpClient()).PublishAsync(records[0], CancellationToken.None);

        var store = new SqlitePerfDb(Path.Combine(_results, "perfdb.sqlite"));
        var tests = await PerfDbRows.TestsAsync(store, "sqlite-e2e");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await PerfDbRows.MetricsAsync(store, "sqlite-e2e"), Is.EquivalentTo(PerfDbRows.Expected(records)));
            Assert.That(await PerfDbRows.ResultsAsync(store, "sqlite-e2e"),
                Is.EquivalentTo(records.SelectMany(r => r.Results.Select(c => new KeyValuePair<(string, int), int?>((r.TestId, c.Concurrency), c.Prompts)))));
            Assert.That(tests.Select(t => (t.TestId, t.Passed, t.GpuType, t.BenchmarkMode, t.NumCtx, t.NumGen, t.JobId, t.JobState)),
                Is.EqualTo(records.OrderBy(r => r.TestId, StringComparer.Ordinal)
                    .Select(r => (r.TestId, r.Passed, r.GpuType, r.BenchmarkMode, r.NumCtxServers, r.NumGenServers, r.Job.JobId, r.Job.State))));
            Assert.That(tests.Select(t => JsonNode.DeepEquals(t.Config, JsonNode.Parse(records[0].ResolvedConfigJson))), Has.All.True,
                "resolved config as JSON text");
            Assert.That(await PerfDbRows.ScalarAsync<string>(store, "SELECT finished_at FROM perf_tests WHERE test_id = 'disagg_perf_smoke'"),
                Is.EqualTo("2025-01-02T03:05:40.0000000Z"));
            Assert.That(await PerfDbRows.ScalarAsync<string>(store,
                    "SELECT document ->> 's_gpu_type' FROM perf_results WHERE concurrency = 1 AND test_id = 'disagg_perf_smoke'"),
                Is.EqualTo("gb200"));
            Assert.That(await PerfDbRows.ScalarAsync<long>(store, "SELECT count(*) FROM perf_runs"), Is.EqualTo(1));
            Assert.That(new Outbox(_results).Pending(), Is.Empty);
        }
    }

    [RequiresCluster(Needs.Postgres)]
    [Test]
    public async Task The_sqlite_schema_has_the_postgresql_tables_and_columns()
    {
        var sqlite = SqlitePerfDb.InResults(_results);
        await new PerfDbWriter(sqlite)
            .UpsertAsync(PerfDbRun.From(PublishingSamples.Record(), OpenSearchDocumentBuilder.Build(PublishingSamples.Record())), CancellationToken.None);
        await using var scratch = await PostgresScratch.CreateAsync();
        await new PerfDbWriter(scratch.ConnectionString)
            .UpsertAsync(PerfDbRun.From(PublishingSamples.Record(), OpenSearchDocumentBuilder.Build(PublishingSamples.Record())), CancellationToken.None);
        foreach (var table in new[] { "schema_migrations", "perf_runs", "perf_tests", "perf_results", "perf_metrics" })
        {
            var sqliteColumns = new List<string>();
            await using (var connection = await sqlite.OpenAsync(CancellationToken.None))
            await using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync()) sqliteColumns.Add(reader.GetString(0));
            }
            var pgColumns = new List<string>();
            await using (var connection = new NpgsqlConnection(scratch.ConnectionString))
            {
                await connection.OpenAsync();
                await using var cmd = new NpgsqlCommand(
                    $"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' ORDER BY ordinal_position", connection);
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync()) pgColumns.Add(reader.GetString(0));
            }
            Assert.That(sqliteColumns, Is.Not.Empty.And.EqualTo(pgColumns), table);
        }
        Assert.That(await PerfDbRows.MetricsAsync(sqlite, "20250102-030405"),
            Is.EquivalentTo(await PerfDbRows.MetricsAsync(new NpgsqlPerfDb(scratch.ConnectionString), "20250102-030405")));
    }

    [Test]
    public async Task An_unwritable_results_folder_is_an_upload_failure_naming_the_file()
    {
        var file = Path.Combine(_results, "not-a-folder");
        await File.WriteAllTextAsync(file, "");
        var writer = new PerfDbWriter(new SqlitePerfDb(Path.Combine(file, "perfdb.sqlite")), new ImmediateTime());
        var record = PublishingSamples.Record();
        var error = Assert.ThrowsAsync<UploadException>(
            () => writer.UpsertAsync(PerfDbRun.From(record, OpenSearchDocumentBuilder.Build(record)), CancellationToken.None));
        Assert.That(error!.Message, Does.Contain(Path.Combine(file, "perfdb.sqlite")).And.Contain("DISAGG_PERFDB_CONNECTION"));
    }
}
