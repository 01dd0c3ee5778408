using System.Text.Json;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;
using FluentAssertions;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// benchmark.use_aiperf end to end on the local cluster: the rendered run_benchmark_aiperf.sh runs the simulator's
/// <c>aiperf profile</c> on the fixture mooncake trace at the listed concurrencies, and the harness judges the thresholds on
/// the numbers it reads back from each concurrency_N/profile_export_aiperf.json. One short job (2 + 8 requests).
/// </summary>
[RequiresCluster(Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed class AiperfOnClusterTests
{
    private RunContext _context = null!;

    [OneTimeSetUp]
    public void CreateContext() => _context = TestConfigs.LocalContext();

    [OneTimeTearDown]
    public async Task Cleanup() => await _context.DisposeAsync();

    [Test, CancelAfter(240_000)]
    public async Task Aiperf_client_runs_end_to_end_and_its_exports_are_judged(CancellationToken token)
    {
        var trace = FixturePaths.Fixture("datasets", "sim-tiny-128-32.mooncake.jsonl");
        var config = AiperfBenchmarkScriptTests.Aiperf(text => text
            .Replace("/datasets/sim-tiny-128-32.mooncake.jsonl", trace, StringComparison.Ordinal)
            .Replace("  - \"output_token_throughput >= 5 at c=4\"", "  - \"output_token_throughput >= 5 at c=4\"\n  - \"p99_e2el_ms <= 20000\"",
                StringComparison.Ordinal));
        config.Thresholds.Should().HaveCount(5);

        var result = await Pipelines.RunAsync(_context, config, "aiperf_smoke", line => TestContext.Progress.WriteLine("  " + line), token);

        result.Problems.Should().BeEmpty();
        result.Passed.Should().BeTrue(result.Report.Message);
        result.Verdicts.Should().HaveCount(9, "four bounds at both concurrencies and one at c=4").And.OnlyContain(v => v.Passed);
        result.Benchmark!.Blocks.Select(b => (b.Concurrency, b["total_requests"], b["failed_requests"], b["total_input_tokens"]))
            .Should().Equal((1, 2, 0, 2 * 128), (4, 8, 0, 8 * 128));
        result.Benchmark.Blocks.Should().OnlyContain(b => b.DoneLineSeen && b["mean_ttft_ms"] > 0 && b["mean_tpot_ms"] > 0);
        var log = await File.ReadAllTextAsync(Path.Combine(result.Workspace, "benchmark.log"), token);
        log.Should().Contain("Benchmarking with concurrency 4 ... 8 requests, duration 2400s")
            .And.Contain("NVIDIA AIPerf | LLM Metrics")
            .And.Contain("Benchmark with concurrency 4 done")
            .And.NotContain("pip install");
        foreach (var c in new[] { 1, 4 })
        {
            using var export = JsonDocument.Parse(await File.ReadAllTextAsync(
                Path.Combine(result.Workspace, $"concurrency_{c}", "profile_export_aiperf.json"), token));
            export.RootElement.GetProperty("request_count").GetProperty("avg").GetDouble().Should().Be(c * 2);
            File.Exists(Path.Combine(result.Workspace, $"concurrency_{c}", "profile_export_aiperf.csv")).Should().BeTrue();
        }
        (await File.ReadAllTextAsync(Path.Combine(result.Workspace, "perf_metrics.json"), token)).Should().Be("[]", "the driver saves /perf_metrics");
        log.Should().Contain("Perf metrics saved to " + Path.Combine(result.Workspace, "perf_metrics.json"));

        // The same folder judged again: a bound the run cannot meet fails on the exported numbers, and a damaged export is named.
        var tight = AiperfBenchmarkScriptTests.Aiperf(text => text.Replace("  - \"median_ttft_ms <= 2000\"", "  - \"median_ttft_ms <= 0.001\"",
            StringComparison.Ordinal));
        var judged = await JobReevaluator.ReevaluateAsync(result.Workspace, tight, null, null, token);
        judged.Passed.Should().BeFalse();
        judged.Verdicts.Where(v => !v.Passed).Select(v => (v.Concurrency, v.Value))
            .Should().Equal(result.Benchmark.Blocks.Select(b => (b.Concurrency, b["median_ttft_ms"])));
        var export4 = Path.Combine(result.Workspace, "concurrency_4", "profile_export_aiperf.json");
        var full = await File.ReadAllTextAsync(export4, token);
        await File.WriteAllTextAsync(export4, full[..(full.Length / 3)], token);
        var damaged = await JobReevaluator.ReevaluateAsync(result.Workspace, config, null, null, token);
        damaged.Passed.Should().BeFalse();
        damaged.Problems.Should().Contain(p => p.StartsWith(export4 + ":", StringComparison.Ordinal) && p.Contains("truncated", StringComparison.Ordinal));
    }
}
