using System.Text.Json;
using Disagg.Harness.Execution;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// The benchmark clients a config can select, run end to end on the local cluster with the sim profile: the SA client
/// (use_nv_sa_benchmark) with its own flags, lengths never above the configured ones, and its failed count read back from
/// result.json by the rendered driver.
/// </summary>
[Category("cluster")]
[NonParallelizable]
public sealed class BenchmarkClientsOnClusterTests
{
    private RunContext _context = null!;

    [OneTimeSetUp]
    public void CreateContext() => _context = TestConfigs.LocalContext();

    [OneTimeTearDown]
    public async Task Cleanup() => await _context.DisposeAsync();

    [Test, CancelAfter(240_000)]
    public async Task Nv_sa_client_runs_end_to_end_and_passes(CancellationToken token)
    {
        var config = TestConfigs.Smoke("thresholds:\n  - \"failed_requests <= 0\"\n  - \"p99_ttft_ms <= 5000\"", text => text
            .Replace("  use_nv_sa_benchmark: false\n", "  use_nv_sa_benchmark: true\n  benchmark_ratio: 0.5\n", StringComparison.Ordinal));

        var result = await Pipelines.RunAsync(_context, config, "nv_sa_smoke", line => TestContext.Progress.WriteLine("  " + line), token);

        result.Problems.Should().BeEmpty();
        result.Passed.Should().BeTrue(result.Report.Message);
        var log = await File.ReadAllTextAsync(Path.Combine(result.Workspace, "benchmark.log"), token);
        log.Should().Contain("Total failed requests: 0");
        (await File.ReadAllTextAsync(Path.Combine(result.Workspace, "system_facts.txt"), token))
            .Should().Contain("tensorrt_llm: not installed on this node")
            .And.Contain("TRT_LLM_GIT_COMMIT: unknown", "the job records the TensorRT-LLM version");
        result.Benchmark!.Blocks.Should().OnlyContain(b => !b.Metrics.ContainsKey("user_throughput"), "the SA client prints no user throughput");
        result.Benchmark.Warmup!.Metrics.Should().ContainKey("user_throughput", "the warm-up runs the default client");
        result.Benchmark.Blocks.Select(b => (b.Concurrency, b["total_requests"], b["failed_requests"])).Should().Equal((1, 4, 0), (4, 16, 0));
        foreach (var c in new[] { 1, 4 })
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(result.Workspace, $"concurrency_{c}", "result.json"), token));
            var prompts = json.RootElement.GetProperty("num_prompts").GetInt32();
            json.RootElement.GetProperty("total_input_tokens").GetInt32().Should().BeInRange(prompts * 64, prompts * 128, "input lengths in [128 x 0.5, 128]");
        }
    }
}
