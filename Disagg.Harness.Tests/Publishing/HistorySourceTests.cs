using Disagg.Harness.Configuration;
using Disagg.Harness.Publishing;
using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;
using Disagg.OpenSearchStandIn;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// The regression rule's history over the real local PostgreSQL (throwaway database), the embedded SQLite Perf DB and
/// the OpenSearch stand-in: every source returns the valid post-merge records of the run's case keys (test case name,
/// GPU type, runtime, branch) and nothing else.
/// </summary>
[RequiresCluster(Needs.Postgres)]
[NonParallelizable]
public sealed class HistorySourceTests
{
    private static readonly DateTimeOffset Since = new(2024, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private PostgresScratch _db = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase() => _db = await PostgresScratch.CreateAsync();

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        if (_db is not null) await _db.DisposeAsync();
    }

    private static PerfDbRun Row(PublishRecord record) => PerfDbRun.From(record, OpenSearchDocumentBuilder.Build(record));

    /// <summary>A pre-merge run of the smoke config on gb200: it looks up main's history.</summary>
    private static IReadOnlyList<CaseKey> PreMergeKeys => PublishingSamples.Keys(PublishingSamples.JenkinsPreMerge);

    [Test, Order(1)]
    public async Task An_empty_perf_db_is_no_history_not_an_error()
    {
        var history = await new PerfDbHistorySource(_db.ConnectionString).GetAsync(new HistoryQuery(PreMergeKeys, Since), CancellationToken.None);
        Assert.That(history, Is.Empty);
    }

    [Test, Order(2)]
    public Task Perf_db_history_has_only_valid_post_merge_records_of_the_same_case_keys() =>
        AssertHistoryRulesAsync(new PerfDbWriter(_db.ConnectionString), new PerfDbHistorySource(_db.ConnectionString));

    [Test]
    public async Task The_embedded_sqlite_perf_db_serves_history_by_the_same_rules()
    {
        var dir = Directory.CreateTempSubdirectory("disagg-sqlite-history-").FullName;
        try
        {
            var store = new SqlitePerfDb(Path.Combine(dir, SqlitePerfDb.FileName));
            await AssertHistoryRulesAsync(new PerfDbWriter(store), new PerfDbHistorySource(store));
            var env = new Dictionary<string, string> { [SqlitePerfDb.PathVariable] = store.Path };
            Assert.That(HistorySources.FromEnvironment(env, _ => { }, resultsDir: dir).Line, Does.Contain("Perf DB SQLite " + store.Path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task AssertHistoryRulesAsync(PerfDbWriter writer, PerfDbHistorySource source)
    {
        // Pinned a little above the run's own 560 tok/s at concurrency 4: within the gate, so it exempts nothing below.
        var pinned = new Dictionary<string, double> { ["d_baseline_token_throughput"] = 600.0 };
        var postMerge = PublishingSamples.Record(runId: "pm-1") with
        {
            RegressionCases = [.. PublishingSamples.NoHistory().Select(c => c with { HasHistory = true, Pinned = pinned })],
        };
        await writer.UpsertAsync(Row(postMerge), CancellationToken.None);
        await writer.UpsertAsync(Row(PublishingSamples.Record(PublishingSamples.GitLabMergeRequest, runId: "pre-1")), CancellationToken.None);
        await writer.UpsertAsync(Row(PublishingSamples.Record(runId: "broken-1") with { Problems = ["concurrency 4: 2 failed request(s)"], Passed = false }),
            CancellationToken.None);
        await writer.UpsertAsync(Row(PublishingSamples.Record(runId: "other-1", config: PublishingSamples.SmokeAs("other"))), CancellationToken.None);
        var gb300 = new Dictionary<string, string>(PublishingSamples.JenkinsPostMerge) { ["DISAGG_GPU_TYPE"] = "GB300" };
        await writer.UpsertAsync(Row(PublishingSamples.Record(gb300, runId: "gb300-1")), CancellationToken.None);
        await writer.UpsertAsync(Row(PublishingSamples.Record(PublishingSamples.JenkinsReleasePostMerge, runId: "release-1")), CancellationToken.None);

        var history = await source.GetAsync(new HistoryQuery(PreMergeKeys, Since), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(history.Select(h => h.Key), Is.EquivalentTo(PreMergeKeys));
            Assert.That(history.Select(h => h.Timestamp).Distinct(), Is.EqualTo(new[] { postMerge.Job.FinishedAt!.Value }));
            var c4 = history.Single(h => h.Key == PreMergeKeys[1]);
            Assert.That(c4["total_token_throughput"], Is.EqualTo(800.5 * 3.5));
            Assert.That(c4.Metrics, Is.EquivalentTo(postMerge.Results.Single(r => r.Concurrency == 4).Metrics));
            Assert.That(c4.HasBaselineFields, Is.True, "the post-merge document carried its pinned baseline on");
            Assert.That(c4.Pinned["d_baseline_token_throughput"], Is.EqualTo(600.0));
            Assert.That(c4.Pinned["d_threshold_pre_merge_token_throughput"], Is.EqualTo(0.10));
            Assert.That(await source.GetAsync(new HistoryQuery(PreMergeKeys, postMerge.Job.FinishedAt!.Value.AddSeconds(1)), CancellationToken.None), Is.Empty,
                "records before the lookback start are not history");
            var release = PublishingSamples.Keys(PublishingSamples.JenkinsReleasePostMerge);
            Assert.That((await source.GetAsync(new HistoryQuery(release, Since), CancellationToken.None)).Select(h => h.Key.Branch).Distinct(),
                Is.EqualTo(new[] { "release/1.3.0rc22.post1" }), "a release branch has its own history");
        }

        // and the rule reads it: the sample run against its own 3.5x-better history regresses pre-merge
        var slower = new ConcurrencyResult(4, 16,
            new Dictionary<string, double> { ["output_token_throughput"] = 100, ["total_token_throughput"] = 500 }, false, 1, 2, true);
        var context = RegressionContextFactory.For(PublishingSamples.TestId, PublishingSamples.Smoke(), PublishingSamples.JenkinsPreMerge,
            new DateTimeOffset(2025, 1, 3, 0, 0, 0, TimeSpan.Zero), "gb200");
        var verdict = await RegressionRule.EvaluateAsync([slower], source, RegressionSettings.Default, context, CancellationToken.None);
        Assert.That(verdict.Findings.Select(f => (f.Metric, f.Severity)),
            Is.EqualTo(new[] { ("output_token_throughput", FindingSeverity.Failure), ("total_token_throughput", FindingSeverity.Failure) }));
    }

    [Test]
    public async Task An_unreachable_perf_db_throws_so_the_rule_skips_with_a_warning()
    {
        var source = new PerfDbHistorySource("Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z;Timeout=2");
        var block = new ConcurrencyResult(4, 16,
            new Dictionary<string, double> { ["output_token_throughput"] = 100, ["total_token_throughput"] = 500 }, false, 1, 2, true);
        var verdict = await RegressionRule.EvaluateAsync([block], source, RegressionSettings.Default,
            new RegressionContext("t", DateTimeOffset.UtcNow, RunKind.PreMerge), CancellationToken.None);
        Assert.That(verdict.Findings.Select(f => f.Severity), Is.All.EqualTo(FindingSeverity.Warning));
        Assert.That(verdict.Findings[0].Note, Does.StartWith(
            "regression check skipped: history could not be read (Perf DB history of t-con4_iter1_isl1024_osl1024 from x@127.0.0.1:1/z could not be read"));
        Assert.That(verdict.Cases, Is.Empty);
    }

    [Test]
    public async Task OpenSearch_history_reads_the_posted_documents_of_the_same_case_keys_only()
    {
        await using var server = await StandInServer.StartAsync(new StandInOptions { User = "perf-bot", Password = "pw" }, CancellationToken.None);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var env = new Dictionary<string, string>(PublishingSamples.JenkinsPostMerge)
        {
            ["OPEN_SEARCH_DB_BASE_URL"] = server.BaseUrl.ToString(),
            ["OPEN_SEARCH_DB_CREDENTIALS_USR"] = "perf-bot",
            ["OPEN_SEARCH_DB_CREDENTIALS_PSW"] = "pw",
        };
        var log = new List<string>();
        var (source, line) = HistorySources.FromEnvironment(env, log.Add, http, new ImmediateTime());
        Assert.That(source, Is.TypeOf<OpenSearchHistorySource>());
        Assert.That(line, Does.StartWith("regression history: OpenSearch ").And.Not.Contain("pw\""));
        var client = new OpenSearchClient(http, OpenSearchSettings.FromEnvironment(env)!, new ImmediateTime(), log.Add);
        var posted = PublishingSamples.Record(runId: "pm-1");
        await client.PostAsync(PublishingSamples.Batch(posted), CancellationToken.None);
        var other = PublishingSamples.Record(runId: "other", config: PublishingSamples.SmokeAs("other"));
        await client.PostAsync(PublishingSamples.Batch(other), CancellationToken.None);
        var gb300 = new Dictionary<string, string>(PublishingSamples.JenkinsPostMerge) { ["DISAGG_GPU_TYPE"] = "GB300" };
        await client.PostAsync(PublishingSamples.Batch(PublishingSamples.Record(gb300, runId: "gb300")), CancellationToken.None);
        var pre = new Dictionary<string, string>(PublishingSamples.GitLabMergeRequest) { ["DISAGG_GPU_TYPE"] = "GB200" };
        await client.PostAsync(PublishingSamples.Batch(PublishingSamples.Record(pre, runId: "pre")), CancellationToken.None);
        var release = PublishingSamples.Record(PublishingSamples.JenkinsReleasePostMerge, runId: "release");
        await client.PostAsync(PublishingSamples.Batch(release), CancellationToken.None);

        var history = await source!.GetAsync(new HistoryQuery(PreMergeKeys, DateTimeOffset.UtcNow.AddDays(-1)), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Store.Count(OpenSearchSettings.PerfProject), Is.EqualTo(10));
            Assert.That(history.Select(h => h.Key), Is.EquivalentTo(PreMergeKeys));
            Assert.That(history.Single(h => h.Key == PreMergeKeys[1])["total_token_throughput"], Is.EqualTo(800.5 * 3.5));
            Assert.That(history.Single(h => h.Key == PreMergeKeys[1])["output_token_throughput"], Is.EqualTo(160.0 * 3.5));
            Assert.That(history.All(h => h.Timestamp > DateTimeOffset.UtcNow.AddMinutes(-5)), Is.True, "ts_created set by the service");
            Assert.That(await source.GetAsync(new HistoryQuery(PreMergeKeys, DateTimeOffset.UtcNow.AddDays(1)), CancellationToken.None), Is.Empty);
            Assert.That(log, Is.Empty);
        }
    }

    [Test]
    public void The_environment_chooses_perf_db_then_opensearch_then_a_json_file_then_none()
    {
        string Line(Dictionary<string, string> env) => HistorySources.FromEnvironment(env, _ => { }).Line;
        var all = new Dictionary<string, string>
        {
            ["DISAGG_PERFDB_CONNECTION"] = "Host=db;Port=5432;Username=u;Password=secret;Database=perf",
            ["OPEN_SEARCH_DB_BASE_URL"] = "http://127.0.0.1:9",
            ["DISAGG_HISTORY_FILE"] = "/tmp/history.json",
        };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(HistorySources.FromEnvironment(all, _ => { }).Source, Is.TypeOf<PerfDbHistorySource>());
            Assert.That(Line(all), Is.EqualTo("regression history: Perf DB u@db:5432/perf"));
            all.Remove("DISAGG_PERFDB_CONNECTION");
            Assert.That(HistorySources.FromEnvironment(all, _ => { }).Source, Is.TypeOf<OpenSearchHistorySource>());
            all.Remove("OPEN_SEARCH_DB_BASE_URL");
            Assert.That(HistorySources.FromEnvironment(all, _ => { }).Source, Is.TypeOf<JsonFileHistorySource>());
            Assert.That(Line(all), Is.EqualTo("regression history: JSON export /tmp/history.json"));
            all.Remove("DISAGG_HISTORY_FILE");
            Assert.That(HistorySources.FromEnvironment(all, _ => { }),
                Is.EqualTo(((IHistorySource?)null, "regression history: none: " + HistorySources.NoneConfigured)));
        }
    }
}
