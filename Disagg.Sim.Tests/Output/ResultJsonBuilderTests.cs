using Disagg.Sim.Benchmark;
using Disagg.Sim.Benchmark.Client;
using Disagg.Sim.Benchmark.Metrics;
using Disagg.Sim.Benchmark.Output;
using Disagg.Sim.Common;

namespace Disagg.Sim.Tests.Output;

[TestFixture]
public sealed class ResultJsonBuilderTests
{
    [Test]
    public void KeysFollowTheReferenceOrder()
    {
        var options = new BenchmarkOptions { Model = "/models/ds", MaxConcurrency = 16, NumPrompts = 2, PercentileMetrics = "ttft,tpot,itl,e2el" };
        var outcomes = new[]
        {
            new RequestOutcome { Success = true, Latency = 0.5, Ttft = 0.1, OutputTokens = 5, PromptLen = 10 },
            new RequestOutcome { Success = true, Latency = 0.7, Ttft = 0.2, OutputTokens = 5, PromptLen = 10 },
        };
        var metrics = MetricsCalculator.Calculate(outcomes, 1.0, [99]);

        var keys = ResultJsonBuilder.Build(options, metrics, outcomes, new DateTime(2026, 1, 2, 3, 4, 5)).Select(p => p.Key).ToList();

        string[] expected =
        [
            "date", "backend", "model_id", "tokenizer_id", "num_prompts",
            "duration", "completed", "total_input_tokens", "total_output_tokens", "request_throughput",
            "request_goodput:", "output_throughput", "total_token_throughput", "user_throughput", "avg_decoded_tokens_per_iter",
            "std_ttft_ms", "mean_ttft_ms", "median_ttft_ms", "p99_ttft_ms",
            "std_tpot_ms", "mean_tpot_ms", "median_tpot_ms", "p99_tpot_ms",
            "std_itl_ms", "mean_itl_ms", "median_itl_ms", "p99_itl_ms",
            "std_e2el_ms", "mean_e2el_ms", "median_e2el_ms", "p99_e2el_ms",
            "request_rate", "burstiness", "max_concurrency",
        ];
        Assert.That(keys, Is.EqualTo(expected));
    }

    [Test]
    public void SerializesLikePythonJsonDumps()
    {
        var options = new BenchmarkOptions { Model = "m", NumPrompts = 1, PercentileMetrics = "ttft" };
        var outcomes = new[] { new RequestOutcome { Success = true, Latency = 2, Ttft = 2, OutputTokens = 10, PromptLen = 100 } };
        var metrics = MetricsCalculator.Calculate(outcomes, 2.0, [99]);

        var json = PyJson.Serialize(ResultJsonBuilder.Build(options, metrics, outcomes, new DateTime(2026, 1, 2, 3, 4, 5)));

        Assert.That(json, Is.EqualTo(
            "{\"date\": \"20260102-030405\", \"backend\": \"openai\", \"model_id\": \"m\", \"tokenizer_id\": \"m\", \"num_prompts\": 1, "
            + "\"duration\": 2.0, \"completed\": 1, \"total_input_tokens\": 100, \"total_output_tokens\": 10, \"request_throughput\": 0.5, "
            + "\"request_goodput:\": null, \"output_throughput\": 5.0, \"total_token_throughput\": 55.0, \"user_throughput\": 5.0, "
            + "\"avg_decoded_tokens_per_iter\": {\"mean\": 0.0, \"min\": 0.0, \"max\": 0.0, \"median\": 0.0, \"std\": 0.0, \"percentiles\": {\"p99\": 0.0}}, "
            + "\"std_ttft_ms\": 0.0, \"mean_ttft_ms\": 2000.0, \"median_ttft_ms\": 2000.0, \"p99_ttft_ms\": 2000.0, "
            + "\"request_rate\": \"inf\", \"burstiness\": 1.0, \"max_concurrency\": null}"));
    }
}
