using System.Text.Json.Nodes;
using Disagg.Harness.Configuration;
using Disagg.Harness.Publishing;
using Disagg.Harness.Results;
using Disagg.Harness.Thresholds;
using Disagg.OpenSearchStandIn;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// Issue 20 acceptance 4: the stand-in's <c>_search</c> receives the filter set perf-sanity sends
/// (open_search_db_utils.get_history_data: valid, post-merge, not a baseline, created in the last 90 days floored to the UTC
/// day, size 5000, plus a term per match key whose value all of the run's cases share; perf_regression_utils: a pre-merge
/// run filters on its baseline branch), and answers it with exactly that history.
/// </summary>
[NonParallelizable]
public sealed class OpenSearchHistoryQueryTests
{
    private static JsonObject Term(string field, JsonNode value) => new() { ["term"] = new JsonObject { [field] = value } };

    /// <summary>The body upstream builds, from get_history_data's must clauses and queryPerfDataFromOpenSearchDB.</summary>
    private static JsonObject Upstream(DateTimeOffset now, params (string Field, string Value)[] common)
    {
        var seconds = now.ToUnixTimeSeconds();
        var gte = (seconds - 24 * 3600 * 90) / (24 * 3600) * 24 * 3600 * 1000;
        var must = new JsonArray(Term("b_is_valid", true), Term("b_is_post_merge", true), Term("b_is_baseline", false),
            new JsonObject { ["range"] = new JsonObject { ["ts_created"] = new JsonObject { ["gte"] = gte } } });
        foreach (var (field, value) in common) must.Add(Term(field, value));
        return new JsonObject { ["query"] = new JsonObject { ["bool"] = new JsonObject { ["must"] = must } }, ["size"] = 5000 };
    }

    [Test]
    public async Task A_pre_merge_run_sends_upstreams_filter_set_and_gets_main_history_only()
    {
        await using var server = await StandInServer.StartAsync(new StandInOptions { User = "perf-bot", Password = "pw" }, CancellationToken.None);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var settings = OpenSearchSettings.FromEnvironment(new Dictionary<string, string>
        {
            ["OPEN_SEARCH_DB_BASE_URL"] = server.BaseUrl.ToString(),
            ["OPEN_SEARCH_DB_CREDENTIALS_USR"] = "perf-bot",
            ["OPEN_SEARCH_DB_CREDENTIALS_PSW"] = "pw",
        })!;
        var client = new OpenSearchClient(http, settings, new ImmediateTime(), _ => { });
        var judged = PublishingSamples.NoHistory();
        await client.PostAsync(PublishingSamples.Batch(PublishingSamples.Record(runId: "main") with { RegressionCases = judged }), CancellationToken.None);
        var release = PublishingSamples.Record(PublishingSamples.JenkinsReleasePostMerge, runId: "release");
        await client.PostAsync(PublishingSamples.Batch(release), CancellationToken.None);
        var gb300 = new Dictionary<string, string>(PublishingSamples.JenkinsPostMerge) { ["DISAGG_GPU_TYPE"] = "GB300" };
        await client.PostAsync(PublishingSamples.Batch(PublishingSamples.Record(gb300, runId: "gb300")), CancellationToken.None);
        await client.PostAsync(PublishingSamples.Batch(PublishingSamples.Record(PublishingSamples.JenkinsPreMerge, runId: "pr")), CancellationToken.None);

        var now = DateTimeOffset.UtcNow;
        var context = RegressionContextFactory.For(PublishingSamples.TestId, PublishingSamples.Smoke(), PublishingSamples.JenkinsPreMerge, now, "gb200");
        var blocks = PublishingSamples.Result().Benchmark!.Blocks;
        var source = new OpenSearchHistorySource(client);
        var verdict = await RegressionRule.EvaluateAsync(blocks, source, RegressionSettings.Default, context, CancellationToken.None);

        var sent = server.Searches.Single();
        using (Assert.EnterMultipleScope())
        {
            var expected = Upstream(now, ("s_gpu_type", "gb200"), ("s_runtime", "multi_node_disagg_server"), ("s_branch", "main"));
            Assert.That(sent.ToJsonString(), Is.EqualTo(expected.ToJsonString()),
                "the case names differ per concurrency, so they are matched per case, not filtered");
            Assert.That(verdict.Cases.Select(c => c.HasHistory), Is.All.True, "main's post-merge documents are the history");
            Assert.That(verdict.Findings.Select(f => f.Severity), Is.All.EqualTo(FindingSeverity.Pass), "the same values as main's: no regression");
            Assert.That(verdict.Findings.Select(f => f.Baseline), Is.EqualTo(new double?[] { 160.0, 800.5, 560.0, 2801.75 }),
                "only main's documents (not the release, gb300 or pull-request ones) made the baselines");
        }
    }

    [Test]
    public async Task A_single_case_run_also_filters_on_its_test_case_name()
    {
        await using var server = await StandInServer.StartAsync(new StandInOptions { User = "perf-bot", Password = "pw" }, CancellationToken.None);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var settings = OpenSearchSettings.FromEnvironment(new Dictionary<string, string> { ["OPEN_SEARCH_DB_BASE_URL"] = server.BaseUrl.ToString() })!;
        var now = DateTimeOffset.UtcNow;
        var context = RegressionContextFactory.For(PublishingSamples.TestId, PublishingSamples.Smoke(), PublishingSamples.JenkinsPostMerge, now, "gb200");
        var block = new ConcurrencyResult(4, 16, new Dictionary<string, double> { ["output_token_throughput"] = 1 }, false, 1, 2, true);
        var source = new OpenSearchHistorySource(new OpenSearchClient(http, settings, new ImmediateTime(), _ => { }));
        var verdict = await RegressionRule.EvaluateAsync([block], source, RegressionSettings.Default, context, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Searches.Single().ToJsonString(), Is.EqualTo(Upstream(now, ("s_test_case_name", "e2e-smoke-con4_iter4_isl128_osl32"),
                ("s_gpu_type", "gb200"), ("s_runtime", "multi_node_disagg_server"), ("s_branch", "main")).ToJsonString()));
            Assert.That(verdict.Cases.Single().HasHistory, Is.False, "an empty index is no history, not an error");
            Assert.That(verdict.Cases.Single().Info, Is.Empty);
        }
    }

    [Test]
    public async Task The_stand_in_refuses_what_opensearch_refuses()
    {
        await using var server = await StandInServer.StartAsync(new StandInOptions(), CancellationToken.None);
        using var http = new HttpClient();
        async Task<int> Search(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUrl, $"opensearch/df-{OpenSearchSettings.PerfProject}-*/_search"))
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Search("""{"query": {"term": {"s_branch": ["main"]}}, "size": 10}"""), Is.EqualTo(400), "term takes one value");
            Assert.That(await Search("""{"query": {"match_all": {}}, "size": 10001}"""), Is.EqualTo(400), "beyond the result window");
            Assert.That(await Search("""{"query": {"match_all": {}}, "from": 9000, "size": 5000}"""), Is.EqualTo(400));
            Assert.That(await Search(Upstream(DateTimeOffset.UtcNow, ("s_branch", "")).ToJsonString()), Is.EqualTo(200), "upstream's own query is accepted");
        }
    }
}
