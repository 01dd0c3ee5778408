using System.Text.RegularExpressions;
using Disagg.Harness.Configuration;
using Disagg.Harness.Publishing;
using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;
using FluentAssertions;

namespace Disagg.Harness.Tests.Results;

/// <summary>
/// Client outputs shaped like the ones pasted into public TensorRT-LLM and vLLM issues (Fixtures/client-outputs, README
/// there): each parses as a bare log with every printed metric extracted, any latency percentile is a metric thresholds,
/// result.json and documents can name, and malformed numbers never throw.
/// </summary>
public sealed partial class ClientOutputTests
{
    [GeneratedRegex(@"^(.+?:)\s+(-?(?:\d+(?:\.\d*)?|\.\d+)|nan|inf|-inf)$")] private static partial Regex MetricLine();
    [GeneratedRegex(@"^=+ ?Serving Benchmark Result ?=+$")] private static partial Regex Header();

    public static IEnumerable<TestCaseData> Outputs() =>
        Directory.GetFiles(FixturePaths.Fixture("client-outputs"), "*.log").Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetFileName(f)).SetArgDisplayNames(Path.GetFileName(f)));

    private static BenchmarkLog Parse(string name) =>
        BenchmarkLogParser.Parse(File.ReadAllText(FixturePaths.Fixture("client-outputs", name)), name);

    [TestCaseSource(nameof(Outputs))]
    public void Every_printed_metric_of_every_block_is_extracted(string name)
    {
        var lines = File.ReadAllLines(FixturePaths.Fixture("client-outputs", name)).Select(l => l.TrimEnd()).ToList();
        var printed = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in lines)
        {
            if (Header().IsMatch(line)) current = [];
            else if (current is not null && line.Length >= 20 && line.All(c => c == '=')) { printed.Add(current); current = null; }
            else if (current is not null && MetricLine().Match(line) is { Success: true } m) current.Add(m.Groups[1].Value);
        }
        var log = Parse(name);
        log.Blocks.Should().HaveCount(printed.Count);
        for (var i = 0; i < printed.Count; i++)
        {
            log.Blocks[i].Metrics.Should().HaveCount(printed[i].Count, $"block {i + 1} prints {string.Join(", ", printed[i])}");
            log.Blocks[i].Metrics.Values.Should().OnlyContain(v => double.IsFinite(v));
        }
    }

    [TestCaseSource(nameof(Outputs))]
    public void Parsed_output_matches_golden(string name) =>
        FixturePaths.AssertGolden(BenchmarkLogText.Render(Parse(name)), "client-outputs", "golden", Path.ChangeExtension(name, ".txt"));

    [Test]
    public void Spellings_of_trtllm_and_vllm_map_to_the_catalog_names()
    {
        var trtllm = Parse("trtllm-pr8714_disagg-server.log").Blocks.Single();
        trtllm.Concurrency.Should().Be(2048, "the client printed 'Maximum request concurrency: 2048' before the block");
        trtllm["mean_avg_decoded_tokens_per_iter"].Should().Be(1.00);
        trtllm["user_throughput"].Should().Be(43.17);
        var wide = Parse("vllm-pr45322_wide-frame.log").Blocks.Single();
        wide.Concurrency.Should().Be(64);
        wide["total_token_throughput"].Should().Be(22985.11, "vLLM writes 'Total token throughput' with a lower-case t");
        wide["peak_output_token_throughput"].Should().Be(3301.00);
        wide["peak_concurrent_requests"].Should().Be(71.00);
        wide["p90_ttft_ms"].Should().Be(1098.31);
        var percentiles = Parse("vllm-pr7062_p90-p95.log").Blocks.Single();
        percentiles["p95_tpot_ms"].Should().Be(338.02);
        percentiles["input_token_throughput"].Should().Be(1636.24);
        Parse("vllm-pr46498_request-rate.log").Blocks.Single()["request_rate_configured_rps"].Should().Be(10.00, "an unknown label keeps a derived name");
    }

    [Test]
    public void A_bare_block_without_a_printed_concurrency_is_concurrency_0_and_says_so()
    {
        var log = Parse("vllm-issue4803_old-client.log");
        log.Blocks.Single().Concurrency.Should().Be(0);
        log.Problems.Should().Equal("vllm-issue4803_old-client.log:3: the client printed no 'Maximum request concurrency' for this block; " +
            "it is reported as concurrency 0");
        var two = Parse("vllm-gguf-plugin-pr13_two-runs.log");
        two.Blocks.Select(b => b["failed_requests"]).Should().Equal(3, 0);
    }

    [TestCase("P90 TTFT (ms):", "p90_ttft_ms", "d_p90_ttft")]
    [TestCase("P99.9 E2EL (ms):", "p99_9_e2el_ms", "d_p99_9_e2el")]
    [TestCase("P50 ITL (ms):", "p50_itl_ms", "d_p50_itl")]
    [TestCase("P99 TPOT (ms):", "p99_tpot_ms", "d_p99_tpot")]
    public void Any_latency_percentile_is_a_catalog_metric(string label, string name, string field)
    {
        var info = MetricCatalog.ByLabel(label)!;
        info.Name.Should().Be(name);
        MetricCatalog.ByName(name)!.Should().BeEquivalentTo(info);
        info.Direction.Should().Be(Direction.Minimize);
        info.DocumentField.Should().Be(field);
    }

    private const string HarnessLog = """
        Starting benchmark...
        Benchmarking with concurrency 16 ... 64 prompts
        ============ Serving Benchmark Result ============
        Total requests:                          64
        Successful requests:                     64
        Failed requests:                         0
        Request goodput (req/s):                 3.25
        P90 TTFT (ms):                           141.20
        P99.9 E2EL (ms):                         9120.55
        ==================================================
        Benchmark with concurrency 16 done
        """;

    [Test]
    public void Percentiles_are_usable_in_thresholds()
    {
        var blocks = BenchmarkLogParser.Parse(HarnessLog, "b.log").Blocks;
        blocks.Single()["p99_9_e2el_ms"].Should().Be(9120.55);
        var config = TestConfigs.Smoke("thresholds:\n  - \"p90_ttft_ms <= 100\"\n  - metric: p99_9_e2el_ms\n    max: 10000");
        var verdicts = ThresholdEvaluator.Evaluate(config.Thresholds, blocks);
        verdicts.Select(v => (v.Rule.Metric, v.Passed)).Should().Equal(("p90_ttft_ms", false), ("p99_9_e2el_ms", true));
        verdicts[0].Describe().Should().StartWith("p90_ttft_ms at concurrency 16: 141.2 ms violates bound <= 100 ms");
    }

    [Test]
    public void Result_json_cross_check_compares_goodput_under_either_key_and_every_percentile()
    {
        var log = BenchmarkLogParser.Parse(HarnessLog, "b.log");
        const string json = "{\"num_prompts\": 64, \"completed\": 64, \"max_concurrency\": 16, " +
            "\"request_goodput\": 2.5, \"p90_ttft_ms\": 141.2, \"p99_9_e2el_ms\": 9000.0}";
        ResultJsonCrossCheck.Check(log, new Dictionary<int, string> { [16] = json }, _ => "r.json").Should().Equal(
            "concurrency 16: request_goodput disagrees beyond rounding: 3.25 in b.log (line 3, 'Request goodput (req/s):') " +
            "vs 2.5 in r.json (key 'request_goodput'); " +
            "the log and result.json should come from the same client run",
            "concurrency 16: p99_9_e2el_ms disagrees beyond rounding: 9120.55 in b.log (line 3, 'P99.9 E2EL (ms):') vs 9000 in r.json (key 'p99_9_e2el_ms'); " +
            "the log and result.json should come from the same client run");
        var colon = json.Replace("\"request_goodput\"", "\"request_goodput:\"", StringComparison.Ordinal);
        ResultJsonCrossCheck.Check(log, new Dictionary<int, string> { [16] = colon }, _ => "r.json")
            .Should().Contain(p => p.Contains("(key 'request_goodput:')", StringComparison.Ordinal), "older clients spell the key with a colon");
    }

    [Test]
    public void Percentiles_reach_the_documents()
    {
        var block = BenchmarkLogParser.Parse(HarnessLog, "b.log").Blocks.Single();
        MetricCatalog.Percentiles(block.Metrics.Keys).Select(m => m.DocumentField).Should().Equal("d_p90_ttft", "d_p99_9_e2el");
    }

    [TestCase("Benchmarking with concurrency 99999999999 ... 99999999999 prompts")]
    [TestCase("Benchmarking with concurrency 16 ... 4294967296 prompts")]
    public void A_count_beyond_int_is_a_problem_not_an_exception(string announcement)
    {
        var text = HarnessLog.Replace("Benchmarking with concurrency 16 ... 64 prompts", announcement, StringComparison.Ordinal)
            .Replace("Benchmark with concurrency 16 done", "Benchmark with concurrency 99999999999 done", StringComparison.Ordinal);
        var log = BenchmarkLogParser.Parse(text, "b.log");
        log.Blocks.Should().BeEmpty();
        log.Problems.Should().Contain(p => p.StartsWith($"b.log:2: '{announcement}' names a concurrency or prompt count beyond {int.MaxValue}",
            StringComparison.Ordinal));
        log.Problems.Should().Contain(p => p.StartsWith("b.log:11: 'Benchmark with concurrency 99999999999 done' names a concurrency beyond",
            StringComparison.Ordinal));
    }

    [Test]
    public void The_sa_clients_failed_count_after_the_block_completes_it()
    {
        const string text = """
            Starting benchmark...
            Benchmarking with concurrency 8 ... 32 prompts
            ============ Serving Benchmark Result ============
            Successful requests:                     30
            Benchmark duration (s):                  12.50
            ==================================================
            Total failed requests: 2
            Benchmark with concurrency 8 done
            """;
        var block = BenchmarkLogParser.Parse(text, "b.log").Blocks.Single();
        (block["failed_requests"], block["total_requests"], block.DoneLineSeen).Should().Be((2, 32, true));
    }
}
