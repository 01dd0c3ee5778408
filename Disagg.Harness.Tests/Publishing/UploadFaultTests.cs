using Disagg.Harness.Cli;
using Disagg.Harness.Publishing;
using Disagg.OpenSearchStandIn;
using FluentAssertions;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// Upload faults against real peers: a separate PostgreSQL that is stopped mid-run, the OpenSearch stand-in
/// answering 500 before 200, a runner that dies between the outbox write and the upload. After <c>upload-pending</c>
/// every result is in each destination exactly once, and <c>upload-failures.txt</c> says what failed meanwhile.
/// </summary>
[NonParallelizable]
internal sealed class UploadFaultTests : PublishingPeersFixture
{
    private Dictionary<string, string> Env(string? perfDb)
    {
        var env = new Dictionary<string, string>(PublishingSamples.JenkinsPostMerge)
        {
            ["USE_POC_DB"] = "true",
            ["OPEN_SEARCH_DB_BASE_URL"] = Server.BaseUrl.ToString(),
        };
        if (perfDb is not null) env["DISAGG_PERFDB_CONNECTION"] = perfDb;
        return env;
    }

    private static List<PublishRecord> Records(Dictionary<string, string> env, string runId, int count) =>
        [.. Enumerable.Range(1, count)
            .Select(i => PublishingSamples.Record(env, runId: runId, testId: $"{runId.Replace('-', '_')}_{i}", jobId: $"{3000 + i}"))];

    private int Stored => Server.Store.Count(OpenSearchSettings.SandboxProject);

    private async Task<(int Code, string Out, string Err)> UploadPending(Dictionary<string, string> env)
    {
        await using var output = new StringWriter();
        await using var error = new StringWriter();
        var code = await UploadPendingCommand.RunAsync(Results, env, Http, new ImmediateTime(), output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Each result exactly once in OpenSearch (one document per concurrency) and in the Perf DB (rows = parsed metrics).</summary>
    private async Task AssertExactlyOnceAsync(PerfDbStore store, string runId, IReadOnlyList<PublishRecord> records)
    {
        var documents = records.SelectMany(OpenSearchDocumentBuilder.Build).ToList();
        var stored = Server.Store.All(OpenSearchSettings.SandboxProject);
        Assert.That(stored.Select(d => d.Id), Is.EquivalentTo(documents.Select(d => d["_id"]!.GetValue<string>())), "OpenSearch documents by _id");
        Assert.That(await PerfDbRows.MetricsAsync(store, runId), Is.EquivalentTo(PerfDbRows.Expected(records)), "Perf DB metrics");
        Assert.That((await PerfDbRows.ResultsAsync(store, runId)).Keys,
            Is.EquivalentTo(records.SelectMany(r => r.Results.Select(c => (r.TestId, c.Concurrency)))), "Perf DB results");
        Assert.That((await PerfDbRows.TestsAsync(store, runId)).Select(t => t.TestId), Is.EquivalentTo(records.Select(r => r.TestId)), "Perf DB tests");
    }

    [Test, CancelAfter(240_000)]
    public async Task Postgres_stopped_mid_run_keeps_the_rest_in_the_outbox_and_upload_pending_stores_each_result_once(CancellationToken token)
    {
        await using var pg = await TempPostgres.StartAsync();
        var env = Env(pg.ConnectionString);
        var store = new NpgsqlPerfDb(pg.ConnectionString);
        var records = Records(env, "fault-pg", 3);
        var publisher = Publisher(env);

        var first = await publisher.PublishAsync(records[0], token);
        Assert.That(first.Failures, Is.Empty, string.Join("\n", first.Lines));

        await pg.StopServerAsync();
        var rest = new[] { await publisher.PublishAsync(records[1], token), await publisher.PublishAsync(records[2], token) };
        var pending = new Outbox(Results).Pending();
        var failures = UploadFailureLog.Read(Results);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rest.Select(r => r.Failed.Single().TestId), Is.EqualTo(new[] { records[1].TestId, records[2].TestId }));
            Assert.That(rest.SelectMany(r => r.Failures), Has.All.Contains("Perf DB").And.All.Contains($"after {PerfDbWriter.MaxAttempts} attempts"));
            Assert.That(pending.Select(p => (p.Kind, p.TestId)),
                Is.EquivalentTo(new[] { (OutboxEntry.PerfDb, records[1].TestId), (OutboxEntry.PerfDb, records[2].TestId) }));
            Assert.That(Stored, Is.EqualTo(6), "OpenSearch does not wait for the Perf DB");
            Assert.That(failures.Select(f => f.TestId), Is.EqualTo(new[] { records[1].TestId, records[2].TestId }));
            Assert.That(failures.Select(f => f.Destination), Has.All.StartWith("Perf DB disagg@127.0.0.1:" + pg.Port));
            Assert.That(failures.Select(f => f.OutboxPath), Has.All.Matches<string>(File.Exists));
            Assert.That(File.ReadAllLines(UploadFailureLog.PathIn(Results)), Has.Length.EqualTo(2));
        }

        await pg.StartServerAsync();
        var (code, output, error) = await UploadPending(env);
        Assert.That(code, Is.EqualTo(ExitCodes.Ok), output + error);
        var again = await UploadPending(env);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.Out, Does.StartWith("upload-pending: nothing pending"));
            Assert.That(new Outbox(Results).Pending(), Is.Empty);
            Assert.That(File.Exists(UploadFailureLog.PathIn(Results)), Is.False, "delivered failures leave upload-failures.txt");
            await AssertExactlyOnceAsync(store, "fault-pg", records);
        }
    }

    [Test]
    public async Task Stand_in_answering_500_then_200_is_retried_and_stores_each_document_once()
    {
        var env = Env(Db.ConnectionString);
        var record = Records(env, "fault-500", 1)[0];
        Server.Faults.FailNext(500, times: 2);
        var report = await Publisher(env).PublishAsync(record, CancellationToken.None);
        // A teardown that runs twice (or a resend) overwrites by _id.
        var twice = await Publisher(env).PublishAsync(record, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Failures, Is.Empty, string.Join("\n", report.Lines));
            Assert.That(twice.Failures, Is.Empty);
            Assert.That(Server.PostRequests, Is.EqualTo(4), "two 500s, one accepted post, and the second teardown's post");
            Assert.That(new Outbox(Results).Pending(), Is.Empty);
            Assert.That(File.Exists(UploadFailureLog.PathIn(Results)), Is.False);
            await AssertExactlyOnceAsync(new NpgsqlPerfDb(Db.ConnectionString), "fault-500", [record]);
        }
    }

    [Test]
    public async Task Stand_in_failing_every_attempt_is_recorded_in_upload_failures_without_credentials()
    {
        var env = Env(Db.ConnectionString);
        env["OPEN_SEARCH_DB_CREDENTIALS_PSW"] = "must-never-appear";
        var record = Records(env, "fault-500s", 1)[0];
        Server.Faults.FailNext(500, times: OpenSearchClient.MaxAttempts);
        var report = await Publisher(env).PublishAsync(record, CancellationToken.None);
        var line = File.ReadAllText(UploadFailureLog.PathIn(Results));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Failed.Single().Destination, Does.StartWith("OpenSearch"));
            Assert.That(line.Split('\t'), Has.Length.EqualTo(4));
            Assert.That(line, Does.StartWith(record.TestId + "\tOpenSearch").And.Contain("500").And.Contain(new Outbox(Results).Folder)
                .And.Not.Contain("must-never-appear"));
        }
    }

    [Test]
    public async Task Runner_killed_between_outbox_write_and_upload_is_delivered_once_by_upload_pending()
    {
        var env = Env(Db.ConnectionString);
        var records = Records(env, "fault-kill", 2);
        var publisher = Publisher(env);
        var outbox = new Outbox(Results);
        // What teardown writes before its first network call; the process "dies" here.
        var staged = records.SelectMany(r => publisher.Stage(outbox, r)).ToList();
        Assert.That(outbox.Pending().Select(e => e.Kind),
            Is.EquivalentTo(new[] { OutboxEntry.OpenSearch, OutboxEntry.PerfDb, OutboxEntry.OpenSearch, OutboxEntry.PerfDb }));
        Assert.That(Stored, Is.Zero);

        var (code, output, error) = await UploadPending(env);
        Assert.That(code, Is.EqualTo(ExitCodes.Ok), output + error);
        await AssertExactlyOnceAsync(new NpgsqlPerfDb(Db.ConnectionString), "fault-kill", records);

        // Killed after the send but before the outbox file was removed: the resend overwrites, nothing doubles.
        foreach (var entry in staged) outbox.Write(entry);
        (code, output, error) = await UploadPending(env);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), output + error);
            Assert.That(output, Does.Contain("upload-pending: 4 entries"));
            Assert.That(outbox.Pending(), Is.Empty);
            await AssertExactlyOnceAsync(new NpgsqlPerfDb(Db.ConnectionString), "fault-kill", records);
        }
    }

    [Test]
    public async Task Upload_to_perfdb_false_skips_the_perf_db_entirely()
    {
        var env = Env(perfDb: null);
        env["UPLOAD_TO_PERFDB"] = "false";
        var report = await Publisher(env).PublishAsync(Records(env, "fault-off", 1)[0], CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Succeeded);
            Assert.That(report.Lines, Does.Contain("upload perfdb: skipped: UPLOAD_TO_PERFDB=false"));
            Assert.That(report.Lines, Has.None.Contains("upload perfdb for"));
            Assert.That(File.Exists(Path.Combine(Results, SqlitePerfDb.FileName)), Is.False, "no embedded Perf DB either");
            Assert.That(Stored, Is.EqualTo(2));
        }
    }

    [TestCase("maybe")]
    [TestCase("yes")]
    public void Upload_to_perfdb_anything_else_is_a_clear_configuration_error_before_anything_is_written(string value)
    {
        var env = Env(perfDb: null);
        env["UPLOAD_TO_PERFDB"] = value;
        var error = FluentActions.Invoking(() => Publisher(env)).Should().Throw<UploadException>().Which;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Category, Is.EqualTo("config"));
            Assert.That(error.Message, Does.StartWith($"UPLOAD_TO_PERFDB='{value}' is not valid; use true (default) or false"));
            Assert.That(Directory.EnumerateFileSystemEntries(Results), Is.Empty);
        }
    }
}
