using Disagg.Harness.Publishing;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;
using Npgsql;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>The Perf DB against the real local PostgreSQL, in a throwaway database per fixture.</summary>
[RequiresCluster(Needs.Postgres)]
[NonParallelizable]
public sealed class PerfDbTests
{
    private PostgresScratch _db = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase() => _db = await PostgresScratch.CreateAsync();

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        if (_db is not null) await _db.DisposeAsync();
    }

    private static PerfDbRun Run(string runId = "run-1")
    {
        var record = PublishingSamples.Record(runId: runId);
        return PerfDbRun.From(record, OpenSearchDocumentBuilder.Build(record));
    }

    [Test, Order(1)]
    public async Task Concurrent_first_use_applies_each_migration_exactly_once()
    {
        async Task<IReadOnlyList<int>> Migrate()
        {
            await using var connection = new NpgsqlConnection(_db.ConnectionString);
            await connection.OpenAsync();
            return await PerfDbMigrations.ApplyAsync(connection, CancellationToken.None);
        }
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Migrate)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.SelectMany(r => r), Is.EqualTo(PerfDbMigrations.All.Select(m => m.Version)));
            Assert.That(await _db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"), Is.EqualTo(PerfDbMigrations.All.Count));
            Assert.That(await Migrate(), Is.Empty);
        }
    }

    [Test, Order(2)]
    public async Task Rows_match_the_parsed_results_and_a_retry_does_not_duplicate()
    {
        var writer = new PerfDbWriter(_db.ConnectionString);
        var run = Run("run-upsert");
        await writer.UpsertAsync(run, CancellationToken.None);
        await new PerfDbWriter(_db.ConnectionString).UpsertAsync(run, CancellationToken.None);
        var metricCount = run.Concurrencies.Sum(c => c.Metrics.Count);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _db.ScalarAsync<long>("SELECT count(*) FROM perf_tests WHERE run_id = 'run-upsert'"), Is.EqualTo(1));
            Assert.That(await _db.ScalarAsync<long>("SELECT count(*) FROM perf_results WHERE run_id = 'run-upsert'"), Is.EqualTo(2));
            Assert.That(await _db.ScalarAsync<long>("SELECT count(*) FROM perf_metrics WHERE run_id = 'run-upsert'"), Is.EqualTo(metricCount));
            Assert.That(await _db.ScalarAsync<double>(
                    "SELECT value FROM perf_metrics WHERE run_id = 'run-upsert' AND concurrency = 4 AND metric = 'total_token_throughput'"),
                Is.EqualTo(800.5 * 3.5));
            Assert.That(await _db.ScalarAsync<string>("SELECT job_id || '/' || job_state FROM perf_tests WHERE run_id = 'run-upsert'"),
                Is.EqualTo("1001/COMPLETED"));
            Assert.That(await _db.ScalarAsync<long>(
                    "SELECT (config->'worker_config'->'gen'->>'max_batch_size')::bigint FROM perf_tests WHERE run_id = 'run-upsert'"),
                Is.EqualTo(16));
            Assert.That(await _db.ScalarAsync<string>(
                    "SELECT document->>'s_gpu_type' FROM perf_results WHERE run_id = 'run-upsert' AND concurrency = 1"),
                Is.EqualTo("gb200"));
        }
    }

    [Test]
    public async Task Unreachable_server_is_reported_without_the_password()
    {
        var writer = new PerfDbWriter("Host=127.0.0.1;Port=1;Username=disagg;Password=topsecret;Database=x;Timeout=2");
        var act = () => writer.UpsertAsync(Run(), CancellationToken.None);
        var error = (await act.Should().ThrowAsync<UploadException>()).Which;
        Assert.That(error.Message, Does.Contain("disagg@127.0.0.1:1/x").And.Not.Contain("topsecret").And.Contain("DISAGG_PERFDB_CONNECTION"));
    }

    [TestCase(null, true)]
    [TestCase("true", true)]
    [TestCase("1", true)]
    [TestCase("false", false)]
    [TestCase("0", false)]
    public void Upload_to_perfdb_flag(string? value, bool expected)
    {
        var env = value is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["UPLOAD_TO_PERFDB"] = value };
        Assert.That(PerfDbSettings.Enabled(env), Is.EqualTo(expected));
    }

    [Test]
    public void Upload_to_perfdb_rejects_anything_else() =>
        FluentActions.Invoking(() => PerfDbSettings.Enabled(new Dictionary<string, string> { ["UPLOAD_TO_PERFDB"] = "maybe" }))
            .Should().Throw<UploadException>().WithMessage("*UPLOAD_TO_PERFDB='maybe'*true*false*");
}
