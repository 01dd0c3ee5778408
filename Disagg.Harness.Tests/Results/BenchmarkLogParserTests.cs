using Disagg.Harness.Configuration;
using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Results;

public sealed class BenchmarkLogParserTests
{
    private static string Sample() => File.ReadAllText(FixturePaths.Fixture("logs", "sample-6_bench.log"));

    [Test]
    public void Sample_log_yields_two_blocks_and_keeps_the_warmup_apart()
    {
        var log = BenchmarkLogParser.Parse(Sample(), "6_bench.log");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(log.Blocks.Select(b => b.Concurrency), Is.EqualTo(new[] { 16, 64 }));
            Assert.That(log.Blocks[0]["median_ttft_ms"], Is.EqualTo(172.08));
            Assert.That(log.Blocks[0]["median_e2el_ms"], Is.EqualTo(12931.70));
            Assert.That(log.Blocks[1]["output_token_throughput"], Is.EqualTo(2864.02));
            Assert.That(log.Blocks[1]["total_requests"], Is.EqualTo(512));
            Assert.That(log.Warmup?["median_ttft_ms"], Is.EqualTo(2301.77), "the warm-up block is not concurrency 16");
            Assert.That(log.Blocks.All(b => b.DoneLineSeen), Is.True);
            Assert.That(log.Problems, Is.Empty);
        }
    }

    [Test]
    public void Every_catalog_metric_of_the_block_is_read()
    {
        var block = BenchmarkLogParser.Parse(Sample(), "x").Blocks[0];
        Assert.That(MetricCatalog.Required.Where(m => !block.Metrics.ContainsKey(m)), Is.Empty);
        Assert.That(block["user_throughput"], Is.EqualTo(79.15));
    }

    [Test]
    public void Prefixless_crlf_lines_parse_the_same()
    {
        var text = string.Join("\r\n", Sample().Split('\n').Select(l => l.StartsWith("0: ", StringComparison.Ordinal) ? l[3..] : l));
        var log = BenchmarkLogParser.Parse(text, "x");
        Assert.That(log.Blocks.Select(b => b["p99_itl_ms"]), Is.EqualTo(new double?[] { 21.96, 41.37 }));
    }

    [Test]
    public void Interleaved_noise_does_not_break_blocks()
    {
        var lines = Sample().Split('\n').ToList();
        var at = lines.FindIndex(l => l.Contains("Mean TPOT (ms):", StringComparison.Ordinal));
        lines.Insert(at, "1: [TRT-LLM] [I] iter = 120, some log noise: 3");
        var log = BenchmarkLogParser.Parse(string.Join('\n', lines), "x");
        Assert.That(log.Blocks[0]["mean_tpot_ms"], Is.EqualTo(12.47));
    }

    [Test]
    public void Truncated_log_names_the_last_complete_block()
    {
        var text = Sample();
        var cut = text.IndexOf("Mean TPOT (ms):                          21.83", StringComparison.Ordinal);
        var log = BenchmarkLogParser.Parse(text[..cut], "bench.log");
        var problems = ResultCompleteness.Check(log, [16, 64], multiRound: 8);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(log.Problems, Has.One.Contains("truncated inside the result block of concurrency 64")
                .And.Contains("last complete block: concurrency 16"));
            Assert.That(problems, Has.Some.Contains("no result block for concurrency 64"));
        }
    }

    [Test]
    public void Failed_requests_and_short_counts_are_problems()
    {
        var text = Sample()
            .Replace("Failed requests:                         0         \n0: Benchmark duration (s):                  104.52",
                "Failed requests:                         3         \n0: Benchmark duration (s):                  104.52", StringComparison.Ordinal)
            .Replace("Successful requests:                     128", "Successful requests:                     125", StringComparison.Ordinal);
        var problems = ResultCompleteness.Check(BenchmarkLogParser.Parse(text, "b.log"), [16, 64], multiRound: 8);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problems, Has.Some.Contains("concurrency 16: 3 failed request(s)"));
            Assert.That(problems, Has.Some.Contains("125 successful requests, expected 128"));
        }
    }

    [Test]
    public void Missing_metric_and_missing_concurrency_are_reported()
    {
        var text = Sample().Replace("0: P99 TTFT (ms):                           301.62    \n", "", StringComparison.Ordinal);
        var problems = ResultCompleteness.Check(BenchmarkLogParser.Parse(text, "b.log"), [16, 64, 128], multiRound: 8);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problems, Has.Some.Contains("'P99 TTFT (ms):' is missing"));
            Assert.That(problems, Has.Some.Contains("no result block for concurrency 128"));
        }
    }

    [Test]
    public void Confirmation_repeats_are_samples_of_their_concurrency_not_new_blocks()
    {
        static string Block(int c, double tput) => $"""
            ============ Serving Benchmark Result ============
            Successful requests:                     {c * 4}
            Output token throughput (tok/s):         {tput:0.00}
            ==================================================
            """;
        var text = string.Join("\n",
            "Starting benchmark...",
            "Benchmarking with concurrency 4 ... 16 prompts", Block(4, 100), "Benchmark with concurrency 4 done",
            "Benchmarking with concurrency 8 ... 32 prompts", Block(8, 150), "Benchmark with concurrency 8 done",
            "0: Benchmarking with concurrency 4 ... 16 prompts (repeat 1)", Block(4, 96), "0: Benchmark with concurrency 4 done (repeat 1)",
            "Benchmarking with concurrency 4 ... 16 prompts (repeat 2)", Block(4, 98), "Benchmark with concurrency 4 done (repeat 2)", "");
        var log = BenchmarkLogParser.Parse(text, "benchmark.log");
        Assert.That(log.Problems, Is.Empty);
        Assert.That(log.Blocks.Select(b => (b.Concurrency, b.SampleIndex)), Is.EqualTo(new[] { (4, 0), (8, 0) }));
        Assert.That(log.Repeats.Select(b => (b.Concurrency, b.SampleIndex, b.DoneLineSeen)), Is.EqualTo(new[] { (4, 1, true), (4, 2, true) }));
        Assert.That(log.SamplesOf(4).Select(b => b["output_token_throughput"]), Is.EqualTo(new double?[] { 100, 96, 98 }));
        Assert.That(ResultCompleteness.Check(log, [4, 8], 4), Is.EqualTo(ResultCompleteness.Check(log with { Repeats = [] }, [4, 8], 4)),
            "a repeat is not a duplicated concurrency");
    }

    [Test]
    public void A_repeat_cut_off_by_the_end_of_the_log_is_reported()
    {
        var text = "Starting benchmark...\nBenchmarking with concurrency 4 ... 16 prompts (repeat 1)\n";
        var log = BenchmarkLogParser.Parse(text, "benchmark.log");
        Assert.That(log.Problems, Has.Some.Contains("without its result block"));
    }
}
