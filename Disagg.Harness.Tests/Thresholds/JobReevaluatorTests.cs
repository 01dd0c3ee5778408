using Disagg.Harness.Configuration;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Tests.Thresholds;

public sealed class JobReevaluatorTests
{
    private static YamlNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
    }

    /// <summary>smoke.yaml reshaped like the reference sample: concurrency_list '8 32' x 2 GEN servers, multi_round 8.</summary>
    private static DisaggConfig Config(BenchmarkMode mode, IReadOnlyList<int> list, int genServers, int rounds, string thresholds)
    {
        var config = ConfigLoader.Load(FixturePaths.Fixture("configs", "smoke.yaml"));
        var errors = new List<ConfigError>();
        var rules = ThresholdParser.Parse(Yaml(thresholds), "t.yaml", errors);
        Assert.That(errors, Is.Empty);
        return config with
        {
            Benchmark = config.Benchmark with { Mode = mode, ConcurrencyList = list, MultiRound = rounds },
            Hardware = config.Hardware with { NumGenServers = genServers },
            Thresholds = rules,
        };
    }

    private static Task<JudgedRun> ReevaluateAsync(string dir, DisaggConfig config) =>
        JobReevaluator.ReevaluateAsync(dir, config, history: null, context: null, CancellationToken.None);

    [Test]
    public async Task Honest_bounds_pass_on_the_sample_job()
    {
        var config = Config(BenchmarkMode.E2E, [8, 32], 2, 8, "- \"median_ttft_ms <= 500\"\n- \"output_token_throughput >= 1000\"");
        var result = await ReevaluateAsync(FixturePaths.Fixture("jobs", "sample-e2e"), config);
        Assert.That(result.Report.Message, Is.EqualTo("sample-e2e: all perf checks passed\n"));
        Assert.That(result.Blocks.Select(b => b.Concurrency), Is.EqualTo(new[] { 16, 64 }));
    }

    [Test]
    public async Task Tight_bounds_list_every_violated_metric_in_one_message()
    {
        var config = Config(BenchmarkMode.E2E, [8, 32], 2, 8,
            "- \"median_ttft_ms <= 350\"\n- \"output_token_throughput >= 2000\"\n- \"p99_e2el_ms <= 20000 at c=64\"");
        var result = await ReevaluateAsync(FixturePaths.Fixture("jobs", "sample-e2e"), config);
        Assert.That(result.Passed, Is.False);
        FixturePaths.AssertGolden(result.Report.Message, "jobs", "golden", "sample-e2e-tight.txt");
    }

    [Test]
    public async Task Gen_only_job_attaches_step_times_and_gates_on_them_against_history()
    {
        var config = Config(BenchmarkMode.GenOnly, [16], 2, 4, "- \"mean_gen_worker_per_iter_device_step_time <= 12\"");
        var now = new DateTimeOffset(2025, 6, 12, 9, 0, 0, TimeSpan.Zero);
        var key = HistoryIdentity.Default("genonly-mtp").KeyFor(32);
        var history = new InMemoryHistorySource(Enumerable.Range(1, 5).Select(d => new HistoryRecord(now.AddDays(-d), key,
            new Dictionary<string, double> { ["mean_gen_worker_per_iter_device_step_time"] = 9.0 })));
        var context = new RegressionContext("genonly-mtp", now, RunKind.PreMerge, GenOnly: true);
        var result = await JobReevaluator.ReevaluateAsync(FixturePaths.Fixture("jobs", "genonly-mtp"),
            config with { Regression = RegressionSettings.Default }, history, context, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Problems, Is.Empty);
            Assert.That(result.Blocks.Single()["mean_gen_worker_per_iter_device_step_time"], Is.EqualTo(10.75).Within(1e-9));
            Assert.That(result.Verdicts.Single().Passed, Is.True);
            Assert.That(result.Regression.Single(f => f.Metric == "mean_gen_worker_per_iter_device_step_time").Severity, Is.EqualTo(FindingSeverity.Failure),
                "10.75 ms against a 9 ms baseline misses the 10 % pre-merge gate");
        }
        FixturePaths.AssertGolden(result.Report.Message, "jobs", "golden", "genonly-mtp-regression.txt");
    }

    [Test]
    public void A_folder_without_a_benchmark_log_says_what_is_missing()
    {
        var config = Config(BenchmarkMode.E2E, [8], 1, 1, "[]");
        var e = Assert.ThrowsAsync<FileNotFoundException>(() => ReevaluateAsync(FixturePaths.Fixture("jobs"), config));
        Assert.That(e!.Message, Does.StartWith("no benchmark.log or 6_bench.log in "));
    }
}
