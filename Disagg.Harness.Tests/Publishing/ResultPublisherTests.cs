using Disagg.Harness.Publishing;
using Disagg.OpenSearchStandIn;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>Outbox-first publishing to the stand-in and the real PostgreSQL; failures keep the payload and upload-pending resends it.</summary>
[NonParallelizable]
internal sealed class ResultPublisherTests : PublishingPeersFixture
{
    private Dictionary<string, string> Env(bool openSearch = true, bool perfDb = true)
    {
        var env = new Dictionary<string, string>(PublishingSamples.JenkinsPostMerge) { ["USE_POC_DB"] = "true" };
        if (openSearch) env["OPEN_SEARCH_DB_BASE_URL"] = Server.BaseUrl.ToString();
        if (perfDb) env["DISAGG_PERFDB_CONNECTION"] = Db.ConnectionString;
        return env;
    }

    private int Stored => Server.Store.Count(OpenSearchSettings.SandboxProject);

    [Test]
    public async Task Publishes_to_both_destinations_and_leaves_an_empty_outbox()
    {
        var env = Env();
        var report = await Publisher(env).PublishAsync(PublishingSamples.Record(env, runId: "pub-both"), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Failures, Is.Empty);
            Assert.That(Stored, Is.EqualTo(2));
            Assert.That(await Db.ScalarAsync<long>("SELECT count(*) FROM perf_results WHERE run_id = 'pub-both'"), Is.EqualTo(2));
            Assert.That(new Outbox(Results).Pending(), Is.Empty);
        }
    }

    [Test]
    public async Task Without_configuration_opensearch_is_skipped_and_the_perf_db_is_the_sqlite_file()
    {
        var env = Env(openSearch: false, perfDb: false);
        var report = await Publisher(env).PublishAsync(PublishingSamples.Record(env), CancellationToken.None);
        Assert.That(report.Succeeded, string.Join("\n", report.Lines));
        var sqlite = Path.Combine(Results, "perfdb.sqlite");
        Assert.That(report.Lines, Is.EqualTo(new[]
        {
            "upload opensearch: skipped: OPEN_SEARCH_DB_BASE_URL not set",
            $"upload perfdb: DISAGG_PERFDB_CONNECTION not set, using the embedded Perf DB {sqlite}",
            $"upload perfdb for {PublishingSamples.TestId}: done (Perf DB SQLite {sqlite})",
        }));
        Assert.That(File.Exists(sqlite));
    }

    [Test]
    public async Task Upload_to_perfdb_false_skips_the_perf_db()
    {
        var env = Env();
        env["UPLOAD_TO_PERFDB"] = "false";
        var report = await Publisher(env).PublishAsync(PublishingSamples.Record(env, runId: "pub-off"), CancellationToken.None);
        Assert.That(report.Lines, Does.Contain("upload perfdb: skipped: UPLOAD_TO_PERFDB=false"));
        Assert.That(await Db.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'perf_tests'") == 0
                    || await Db.ScalarAsync<long>("SELECT count(*) FROM perf_tests WHERE run_id = 'pub-off'") == 0);
    }

    [Test]
    public async Task A_failed_upload_keeps_the_payload_and_upload_pending_sends_it_exactly_once()
    {
        var env = Env();
        env["DISAGG_PERFDB_CONNECTION"] = "Host=127.0.0.1;Port=1;Username=disagg;Password=x;Database=x;Timeout=2";
        Server.Faults.FailNext(500, times: OpenSearchClient.MaxAttempts);
        var report = await Publisher(env).PublishAsync(PublishingSamples.Record(env, runId: "pub-retry"), CancellationToken.None);
        var pending = new Outbox(Results).Pending();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Failures, Has.Count.EqualTo(2));
            Assert.That(report.Failures[0], Does.Contain(Path.Combine(Results, "outbox")).And.Contain("upload-pending"));
            Assert.That(pending.Select(p => p.Kind), Is.EquivalentTo(new[] { OutboxEntry.OpenSearch, OutboxEntry.PerfDb }));
            Assert.That(pending.All(p => p.Sends == 1 && p.LastError is not null));
            Assert.That(Stored, Is.Zero);
        }

        var fixedEnv = Env();
        var uploader = new OutboxUploader(
            [new OpenSearchSink(new OpenSearchClient(Http, OpenSearchSettings.FromEnvironment(fixedEnv)!, new ImmediateTime(), Log.Add)),
             new PerfDbSink(new PerfDbWriter(Db.ConnectionString))], TimeProvider.System);
        var first = await uploader.UploadPendingAsync(Results, CancellationToken.None);
        var second = await uploader.UploadPendingAsync(Results, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Failures, Is.Empty);
            Assert.That(second.Lines, Is.Empty);
            Assert.That(Stored, Is.EqualTo(2));
            Assert.That(await Db.ScalarAsync<long>("SELECT count(*) FROM perf_results WHERE run_id = 'pub-retry'"), Is.EqualTo(2));
            Assert.That(new Outbox(Results).Pending(), Is.Empty);
        }
    }

    [Test]
    public async Task A_local_type_check_failure_fails_the_publish_and_sends_nothing()
    {
        var outbox = new Outbox(Results);
        var docs = OpenSearchDocumentBuilder.Build(PublishingSamples.Record());
        docs[0]["d_seq_throughput"] = 5L;
        var entry = new OutboxEntry("bad", OutboxEntry.OpenSearch, "t", DateTimeOffset.UnixEpoch, 0, null, DocumentJson.Serialize(docs));
        outbox.Write(entry);
        var sink = new OpenSearchSink(new OpenSearchClient(Http, OpenSearchSettings.FromEnvironment(Env())!, new ImmediateTime(), Log.Add));
        var report = await new OutboxUploader([sink], TimeProvider.System).UploadPendingAsync(Results, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Failures.Single(), Does.Contain("field 'd_seq_throughput'").And.Contain(outbox.PathOf("bad")));
            Assert.That(Server.PostRequests, Is.Zero);
            Assert.That(File.Exists(outbox.PathOf("bad")));
        }
    }
}
