using Disagg.Sim.Benchmark;
using Disagg.Sim.Benchmark.Datasets;
using Disagg.Sim.Benchmark.Metrics;
using Disagg.Sim.Benchmark.Output;
using Disagg.Sim.Cli;

namespace Disagg.Sim.Tests.Benchmark;

/// <summary>
/// The SA client (benchmark-sa) against the default client: flag sets, length sampling and the result block differ the way
/// the two real clients do, so a job that mixes them up fails on the simulator as it would on a cluster.
/// </summary>
[TestFixture]
public sealed class SaClientTests
{
    [Test]
    public void Sa_lengths_never_exceed_the_configured_length()
    {
        var samples = RandomDataset.Sample(2000, 0, 1000, 100, 0.8, seed: 7, saLengths: true);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(samples.Min(s => s.PromptLen), Is.GreaterThanOrEqualTo(800));
            Assert.That(samples.Max(s => s.PromptLen), Is.LessThanOrEqualTo(1000));
            Assert.That(samples.Max(s => s.ExpectedOutputLen), Is.LessThanOrEqualTo(100));
            Assert.That(samples.Select(s => s.PromptLen).Distinct().Count(), Is.GreaterThan(100), "lengths are drawn, not fixed");
        }
    }

    [Test]
    public void Default_client_lengths_spread_around_the_configured_length()
    {
        var samples = RandomDataset.Sample(2000, 0, 1000, 100, 0.8, seed: 7);
        Assert.That(samples.Max(s => s.PromptLen), Is.GreaterThan(1500), "[len*(1-r), len*(1+r)]: a 1000-token setting reaches 1800");
    }

    [Test]
    public void The_default_client_rejects_the_chat_template_flag_the_sa_client_takes()
    {
        var ex = Assert.Throws<UsageException>(() => ArgParser.Parse(BenchmarkCli.Spec, ["--model", "m", "--use-chat-template"]));
        Assert.That(ex!.Message, Does.StartWith("unrecognized argument '--use-chat-template' for 'benchmark'"));
        var sa = BenchmarkCli.ReadSaOptions(ArgParser.Parse(BenchmarkCli.SaSpec,
            ["--model", "m", "--dataset-name", "random", "--random-range-ratio", "1.0", "--use-chat-template", "--random-input-len", "64"]));
        Assert.That((sa.SaClient, sa.UseChatTemplate, sa.RandomRangeRatio, sa.NoTestInput), Is.EqualTo((true, true, 1.0, true)));
        var backend = Assert.Throws<UsageException>(() => ArgParser.Parse(BenchmarkCli.SaSpec, ["--model", "m", "--backend", "openai"]));
        Assert.That(backend!.Message, Does.StartWith("unrecognized argument '--backend' for 'benchmark-sa'"));
    }

    [Test]
    public void The_sa_block_has_no_request_counts_user_throughput_or_std_dev()
    {
        var summary = new MetricSummary(10, 9, 1, [new PercentileValue(99, 20)]);
        var metrics = new BenchmarkMetrics
        {
            TotalRequests = 32, Completed = 30, DurationSeconds = 12.5, TotalInput = 3000, TotalOutput = 900,
            RequestThroughput = 2.4, OutputThroughput = 72, TotalTokenThroughput = 312, UserThroughput = 9.1,
            Ttft = summary, Tpot = summary, Itl = summary, E2el = summary,
        };
        var block = ResultBlockFormatter.Format(metrics, ["ttft"], saClient: true);
        Assert.That(block.Split('\n').Select(l => l.Split(':')[0].TrimEnd()), Is.EqualTo(new[]
        {
            "============ Serving Benchmark Result ============", "Successful requests", "Benchmark duration (s)", "Total input tokens",
            "Total generated tokens", "Request throughput (req/s)", "Output token throughput (tok/s)", "Total Token throughput (tok/s)",
            "---------------Time to First Token----------------", "Mean TTFT (ms)", "Median TTFT (ms)", "P99 TTFT (ms)",
            "==================================================", "",
        }));
    }
}
