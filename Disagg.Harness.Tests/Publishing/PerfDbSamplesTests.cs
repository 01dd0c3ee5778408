using System.Text.Json;
using Disagg.Harness.Publishing;
using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;
using Disagg.OpenSearchStandIn;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// Confirmation repeats reach the stores as samples of their concurrency (issue 17): Perf DB migration 2's <c>perf_samples</c> rows
/// beside the unchanged <c>perf_results</c>/<c>perf_metrics</c> keys, and one OpenSearch document per concurrency that still passes
/// the type check, with <c>l_sample_index</c>, <c>l_sample_count</c> and <c>s_samples</c>.
/// </summary>
[NonParallelizable]
public sealed class PerfDbSamplesTests
{
    private string _results = null!;

    [SetUp]
    public void CreateFolder() => _results = Directory.CreateTempSubdirectory("disagg-samples-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_results, recursive: true);

    /// <summary>The sample run with two repeats of c=4 whose throughput differs from the planned block.</summary>
    private static PublishRecord WithRepeats(string runId)
    {
        var run = PublishingSamples.Result();
        var planned = run.Benchmark!.Blocks.Single(b => b.Concurrency == 4);
        ConcurrencyResult Repeat(int k, double tput) => planned with
        {
            SampleIndex = k,
            Metrics = new Dictionary<string, double>(planned.Metrics) { ["output_token_throughput"] = tput },
        };
        var log = run.Benchmark with { Repeats = [Repeat(1, 551.5), Repeat(2, 549.25)] };
        return PublishRecordFactory.Create(run with { Benchmark = log }, PublishingSamples.Smoke(), runId, PublishingSamples.JenkinsPostMerge);
    }

    [Test]
    public void Documents_stay_one_per_concurrency_and_pass_the_type_check()
    {
        var record = WithRepeats("samples-docs");
        var docs = OpenSearchDocumentBuilder.Build(record);
        Assert.That(docs, Has.Count.EqualTo(2), "repeats are samples, never new concurrencies");
        Assert.That(DocumentTypeCheck.Check(DocumentJson.Serialize(docs)), Is.Empty);
        var c4 = docs.Single(d => d["l_concurrency"]!.GetValue<long>() == 4);
        var c1 = docs.Single(d => d["l_concurrency"]!.GetValue<long>() == 1);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(c4["l_sample_index"]!.GetValue<long>(), Is.Zero);
            Assert.That(c4["l_sample_count"]!.GetValue<long>(), Is.EqualTo(3));
            Assert.That(c4["d_token_throughput"]!.GetValue<double>(), Is.EqualTo(560.0), "the metric fields stay the planned block's");
            using var samples = JsonDocument.Parse(c4["s_samples"]!.GetValue<string>());
            Assert.That(samples.RootElement.EnumerateArray().Select(s => (s.GetProperty("l_sample_index").GetInt64(),
                s.GetProperty("d_token_throughput").GetDouble())), Is.EqualTo(new[] { (1L, 551.5), (2L, 549.25) }));
            Assert.That(c1.ContainsKey("l_sample_index"), Is.False, "a concurrency without repeats keeps its document as before");
            Assert.That(c4["_id"]!.GetValue<string>(), Is.EqualTo(OpenSearchDocumentBuilder.Build(PublishingSamples.Record(runId: "samples-docs"))
                .Single(d => d["l_concurrency"]!.GetValue<long>() == 4)["_id"]!.GetValue<string>()), "the document id does not depend on samples");
        }
    }

    [Test]
    public async Task Perf_db_rows_carry_the_samples_and_a_resend_replaces_them()
    {
        var env = new Dictionary<string, string>(PublishingSamples.JenkinsPostMerge);
        var record = WithRepeats("samples-db");
        for (var i = 0; i < 2; i++)
        {
            var publisher = ResultPublisher.Create(_results, env, new ImmediateTime(), _ => { }, new HttpClient());
            var report = await publisher.PublishAsync(record, CancellationToken.None);
            Assert.That(report.Failures, Is.Empty, string.Join("\n", report.Lines));
        }
        var store = new SqlitePerfDb(Path.Combine(_results, SqlitePerfDb.FileName));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await PerfDbRows.ScalarAsync<long>(store, "SELECT count(*) FROM perf_results WHERE run_id = 'samples-db'"), Is.EqualTo(2));
            Assert.That(await PerfDbRows.ScalarAsync<long>(store,
                "SELECT count(DISTINCT sample_index) FROM perf_samples WHERE run_id = 'samples-db' AND concurrency = 4"), Is.EqualTo(2));
            Assert.That(await PerfDbRows.ScalarAsync<double>(store, "SELECT value FROM perf_samples WHERE run_id = 'samples-db' AND concurrency = 4 "
                + "AND sample_index = 2 AND metric = 'output_token_throughput'"), Is.EqualTo(549.25));
            Assert.That(await PerfDbRows.ScalarAsync<long>(store, "SELECT count(*) FROM perf_samples WHERE run_id = 'samples-db'"),
                Is.EqualTo(2 * record.Results.Single(r => r.Concurrency == 4).Metrics.Count), "a resend replaces the rows instead of adding more");
            Assert.That(await PerfDbRows.ScalarAsync<long>(store, "SELECT count(*) FROM schema_migrations WHERE version = 2"), Is.EqualTo(1),
                "migration 2 (confirmation samples) is applied");
        }
    }

    [Test]
    public void The_outbox_payload_upload_pending_resends_keeps_the_samples()
    {
        var record = WithRepeats("samples-outbox");
        var run = PerfDbRun.From(record, OpenSearchDocumentBuilder.Build(record));
        var back = JsonSerializer.Deserialize<PerfDbRun>(JsonSerializer.Serialize(run))!;
        Assert.That(back.Concurrencies.Single(c => c.Concurrency == 4).Samples.Select(s => s["output_token_throughput"]), Is.EqualTo(new[] { 551.5, 549.25 }));
        Assert.That(back.Concurrencies.Single(c => c.Concurrency == 1).Samples, Is.Empty);
    }

    [RequiresCluster(Needs.Postgres)]
    [Test, CancelAfter(120_000)]
    public async Task PostgreSQL_and_the_opensearch_stand_in_take_the_samples(CancellationToken token)
    {
        await using var db = await PostgresScratch.CreateAsync();
        await using var server = await StandInServer.StartAsync(new StandInOptions { User = "u", Password = "p" }, token);
        using var http = new HttpClient();
        var env = new Dictionary<string, string>(PublishingSamples.JenkinsPostMerge)
        {
            ["OPEN_SEARCH_DB_BASE_URL"] = server.BaseUrl.ToString(),
            ["OPEN_SEARCH_DB_CREDENTIALS_USR"] = "u",
            ["OPEN_SEARCH_DB_CREDENTIALS_PSW"] = "p",
            ["DISAGG_PERFDB_CONNECTION"] = db.ConnectionString,
        };
        var record = WithRepeats("samples-pg");
        for (var i = 0; i < 2; i++)
        {
            var report = await ResultPublisher.Create(_results, env, new ImmediateTime(), _ => { }, http).PublishAsync(record, token);
            Assert.That(report.Failures, Is.Empty, string.Join("\n", report.Lines));
        }
        var stored = server.Store.All(OpenSearchSettings.PerfProject);
        var store = new NpgsqlPerfDb(db.ConnectionString);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored, Has.Count.EqualTo(2), "the stand-in accepted one document per concurrency, resent in place");
            Assert.That(stored.Single(d => d.Source["l_concurrency"]!.GetValue<long>() == 4).Source["l_sample_count"]!.GetValue<long>(), Is.EqualTo(3));
            Assert.That(await PerfDbRows.ScalarAsync<long>(store, "SELECT count(*) FROM schema_migrations WHERE version = 2"), Is.EqualTo(1),
                "migration 2 (confirmation samples) is applied");
            Assert.That(await PerfDbRows.ScalarAsync<long>(store, "SELECT count(*) FROM perf_samples WHERE run_id = 'samples-pg'"),
                Is.EqualTo(2 * record.Results.Single(r => r.Concurrency == 4).Metrics.Count));
            Assert.That(await PerfDbRows.ScalarAsync<double>(store, "SELECT value FROM perf_samples WHERE run_id = 'samples-pg' AND sample_index = 1 "
                + "AND metric = 'output_token_throughput'"), Is.EqualTo(551.5));
        }
    }
}
