using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Thresholds;

public sealed class JsonFileHistorySourceTests
{
    [Test]
    public void Disagg_records_and_perf_sanity_documents_both_read()
    {
        const string json = """
            [
              {"timestamp": "2025-06-10T08:00:00Z", "test_case_name": "t", "gpu_type": "gb200", "runtime": "multi_node_disagg_server", "branch": "main",
               "metrics": {"output_token_throughput": 1250.5, "d_median_tpot": 12.4}},
              {"ts_created": 1749600000000, "s_test_case_name": "t", "s_gpu_type": "gb200", "s_runtime": "multi_node_disagg_server", "l_concurrency": 64,
               "b_is_post_merge": true, "d_token_throughput": 2860, "d_total_token_throughput": "5100.5", "DISAGG_SERVER_TTFT": 1, "d_mean_tpot": NaN,
               "d_baseline_token_throughput": -1.0, "d_threshold_pre_merge_token_throughput": 0.2},
              {"@timestamp": "Jun 11, 2025 @ 10:00:00.000", "s_test_case_name": "t", "l_concurrency": 64, "b_is_valid": false, "d_token_throughput": 1},
              {"@timestamp": 1749600000, "s_test_case_name": "t", "l_concurrency": 64, "b_is_baseline": true, "d_token_throughput": 1}
            ]
            """;
        var records = JsonFileHistorySource.Read(json, "h.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(records, Has.Count.EqualTo(2), "invalid and baseline documents are dropped");
            Assert.That(records[0].Metrics,
                Is.EquivalentTo(new Dictionary<string, double> { ["output_token_throughput"] = 1250.5, ["median_tpot_ms"] = 12.4 }));
            Assert.That(records[0].Key, Is.EqualTo(new CaseKey("t", "gb200", "multi_node_disagg_server", "main")));
            Assert.That(records[1].Key, Is.EqualTo(new CaseKey("t", "gb200", "multi_node_disagg_server", null)), "an absent field is null");
            Assert.That(records[1].Key.Matches(new CaseKey("t", "gb200", "multi_node_disagg_server", "")), Is.True, "absent and empty match");
            Assert.That(records[1]["total_token_throughput"], Is.EqualTo(5100.5), "a numeric string is a number");
            Assert.That(records[1].HasBaselineFields, Is.True);
            Assert.That(records[1].Pinned, Is.EquivalentTo(new Dictionary<string, double>
            {
                ["d_baseline_token_throughput"] = -1.0, ["d_threshold_pre_merge_token_throughput"] = 0.2,
            }));
            Assert.That(records[0].HasBaselineFields, Is.False);
            Assert.That(records[1].Timestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1749600000000)));
            Assert.That(records[1]["output_token_throughput"], Is.EqualTo(2860));
            Assert.That(records[1]["mean_tpot_ms"], Is.Null, "NaN is not a value");
        }
    }

    [Test]
    public async Task An_opensearch_response_file_is_filtered_by_query()
    {
        var path = Path.Combine(Path.GetTempPath(), $"disagg-history-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"hits": {"hits": ["""
            + """{"_source": {"@timestamp": "2025-06-10T08:00:00Z", "s_test_case_name": "t", "l_concurrency": 16, "d_token_throughput": 5}}, """
            + """{"_source": {"@timestamp": "2025-01-01T00:00:00Z", "s_test_case_name": "t", "l_concurrency": 16, "d_token_throughput": 6}}]}}""");
        try
        {
            var query = new HistoryQuery([new CaseKey("t", null, null, null)], new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero));
            var got = await new JsonFileHistorySource(path).GetAsync(query, CancellationToken.None);
            Assert.That(got.Select(r => r["output_token_throughput"]), Is.EqualTo(new double?[] { 5 }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_record_without_timestamp_names_file_and_index()
    {
        var e = Assert.Throws<InvalidOperationException>(() => JsonFileHistorySource.Read("""[{"test": "t", "concurrency": 1}]""", "h.json"));
        Assert.That(e!.Message, Is.EqualTo("history export h.json: record [0] has no readable timestamp (timestamp, ts_created or @timestamp)"));
    }
}
