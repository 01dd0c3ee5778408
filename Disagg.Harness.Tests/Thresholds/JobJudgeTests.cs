using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Rendering;
using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Thresholds;

/// <summary>The judge the runner calls after completeness, on copies of the fixture job folders (no cluster).</summary>
public sealed class JobJudgeTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 12, 9, 0, 0, TimeSpan.Zero);
    private string _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("disagg-judge-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, true);

    private string CopyJob(string name)
    {
        var source = FixturePaths.Fixture("jobs", name);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_dir, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return _dir;
    }

    private static DisaggConfig Config(BenchmarkMode mode, IReadOnlyList<int> list, int genServers, int rounds, string thresholds,
        Func<string, string>? edit = null)
    {
        var config = TestConfigs.Smoke(thresholds, edit);
        return config with
        {
            Benchmark = config.Benchmark with { Mode = mode, ConcurrencyList = list, MultiRound = rounds },
            Hardware = config.Hardware with { NumGenServers = genServers },
        };
    }

    private static async Task<Judgement> JudgeAsync(string dir, DisaggConfig config, IHistorySource? history, RunKind kind = RunKind.PreMerge,
        bool completed = true)
    {
        var collected = await JobCollector.CollectAsync(JobWorkspace.Local(dir), config, completed, CancellationToken.None);
        var context = new RegressionContext(Path.GetFileName(dir), Now, kind, GenOnly: config.Benchmark.Mode != BenchmarkMode.E2E);
        return await JobJudge.JudgeAsync(config, collected, history, context, CancellationToken.None);
    }

    [Test]
    public async Task A_result_json_that_disagrees_with_the_log_is_a_problem_and_no_history_is_a_warning()
    {
        var dir = CopyJob("sample-e2e");
        var json = Path.Combine(dir, "concurrency_16", "result.json");
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"output_throughput\": ", "\"output_throughput\": 1", StringComparison.Ordinal));
        var judged = await JudgeAsync(dir, Config(BenchmarkMode.E2E, [8, 32], 2, 8, "thresholds:\n  - \"median_ttft_ms <= 500\""), history: null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judged.Problems, Has.Count.EqualTo(1));
            Assert.That(judged.Problems[0], Does.StartWith("concurrency 16: output_token_throughput disagrees beyond rounding"));
            Assert.That(judged.Problems[0], Does.Contain(json));
            Assert.That(judged.Verdicts.Select(v => (v.Concurrency, v.Passed)), Is.EqualTo(new[] { (16, true), (64, true) }));
            Assert.That(judged.Regression, Is.Empty);
            Assert.That(judged.Warnings, Is.EqualTo(new[] { "regression check skipped: " + Disagg.Harness.Publishing.HistorySources.NoneConfigured }));
        }
    }

    [Test]
    public async Task Gen_only_reads_step_times_from_the_gen_server_logs_and_gates_on_them()
    {
        var dir = CopyJob("genonly-mtp");
        var key = HistoryIdentity.Default(Path.GetFileName(dir)).KeyFor(32);
        var history = new InMemoryHistorySource(Enumerable.Range(1, 5).Select(d => new HistoryRecord(Now.AddDays(-d), key,
            new Dictionary<string, double> { ["mean_gen_worker_per_iter_device_step_time"] = 9.0 })));
        var judged = await JudgeAsync(dir, Config(BenchmarkMode.GenOnly, [16], 2, 4, "thresholds:\n  - \"mean_gen_worker_per_iter_device_step_time <= 12\""),
            history);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judged.Problems, Is.Empty);
            Assert.That(judged.StepTimes!.Files.Select(Path.GetFileName), Is.EqualTo(new[] { "gen_server_0.log", "gen_server_1.log" }));
            Assert.That(judged.Blocks.Single()["mean_gen_worker_per_iter_device_step_time"], Is.EqualTo(10.75).Within(1e-9));
            Assert.That(judged.Verdicts.Single().Passed, Is.True);
            Assert.That(judged.Regression.Select(f => (f.Metric, f.Severity)), Is.EqualTo(new[]
            {
                ("mean_gen_worker_per_iter_device_step_time", FindingSeverity.Failure),
                ("median_gen_worker_per_iter_device_step_time", FindingSeverity.Skipped),
            }), "gen_only gates mean and median step time; the median has no history yet");
        }
    }

    [Test]
    public async Task Post_merge_regression_warns_and_the_result_stays_passed()
    {
        var dir = CopyJob("sample-e2e");
        var identity = HistoryIdentity.Default(Path.GetFileName(dir));
        var history = new InMemoryHistorySource(new[] { 16, 64 }.SelectMany(c => Enumerable.Range(1, 4).Select(d => new HistoryRecord(
            Now.AddDays(-d), identity.KeyFor(c),
            new Dictionary<string, double> { ["output_token_throughput"] = 1e6, ["total_token_throughput"] = 1e6 }))));
        var judged = await JudgeAsync(dir, Config(BenchmarkMode.E2E, [8, 32], 2, 8, "thresholds: []"), history, RunKind.PostMerge);
        var result = new JudgedRun("sample", dir, "1", null, null, judged.Problems, judged.Verdicts, [], TimeSpan.Zero) { Regression = judged.Regression };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judged.Regression.Select(f => f.Severity), Is.EqualTo(Enumerable.Repeat(FindingSeverity.Warning, 4)));
            Assert.That(result.Passed, Is.True);
            Assert.That(result.Report.Warnings, Has.Count.EqualTo(4));
            Assert.That(result.Report.Message, Does.Contain("warnings (do not fail the test)"));
        }
    }

    private static readonly Func<string, string> WithAccuracy = text => text
        .Replace("  benchmark_type: 128-32\n", "  benchmark_type: 128-32\n  accuracy:\n    datasets:\n      - dataset_name: gsm8k\n"
            + "        expected_value: 0.9454\n      - name: aime25\n        expected_value: 0.8\n", StringComparison.Ordinal)
        .Replace("accuracy:\n  enable_accuracy_test: false", "accuracy:\n  enable_accuracy_test: true\n  tasks:\n    gsm8k:\n"
            + "      model: local-completions\n    mmlu:\n      model: local-completions", StringComparison.Ordinal);

    [Test]
    public async Task Accuracy_judges_every_dataset_on_its_task_log_and_a_missing_log_is_a_problem()
    {
        var dir = CopyJob("sample-e2e");
        File.Copy(FixturePaths.Fixture("logs", "7_accuracy_eval_gsm8k.log"), Path.Combine(dir, JobFiles.AccuracyLog("gsm8k")));
        var config = Config(BenchmarkMode.E2E, [8, 32], 2, 8, "thresholds: []", WithAccuracy);
        var judged = await JudgeAsync(dir, config, new InMemoryHistorySource([]));
        var result = new JudgedRun("acc", dir, "1", null, null, judged.Problems, judged.Verdicts, [], TimeSpan.Zero) { Accuracy = judged.Accuracy };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(judged.Accuracy.Select(a => (a.Dataset.DatasetName, a.Passed)), Is.EqualTo(new[] { ("gsm8k", true), ("aime25", false) }));
            Assert.That(judged.Accuracy[0].Message, Does.StartWith("gsm8k (flexible-extract, accuracy_eval_gsm8k.log:7): Hypothesis test: actual=94.92%"));
            Assert.That(judged.Problems, Is.EqualTo(new[]
            {
                $"accuracy: {Path.Combine(dir, "accuracy_eval_mmlu.log")} is missing; the lm_eval step of task 'mmlu' did not run or wrote no log"
            }));
            Assert.That(result.Passed, Is.False);
            Assert.That(result.Report.Message, Does.Contain("problem: accuracy: accuracy_eval_gsm8k.log: no 'flexible-extract' row for dataset 'aime25'"));
        }
        var notCompleted = await JudgeAsync(dir, config, new InMemoryHistorySource([]), completed: false);
        Assert.That(notCompleted.Accuracy, Is.Empty, "a failed job is not judged on accuracy; its failure already says why");
    }

    [Test]
    public void The_regression_section_of_a_config_is_parsed_and_errors_are_located()
    {
        var config = TestConfigs.Smoke(
            "thresholds: []\nregression:\n  gating_metrics: [output_token_throughput]\n  post_merge_tolerance: \"3%\"\n  fail_on_regression: always\n");
        Assert.That((config.Regression.GatingMetrics, config.Regression.PostMergeTolerance, config.Regression.PreMergeTolerance, config.Regression.FailOn),
            Is.EqualTo(((IReadOnlyList<string>?)["output_token_throughput"], 0.03, 0.10, FailOnRegression.Always)));
        Assert.That(TestConfigs.Smoke("thresholds: []").Regression, Is.SameAs(RegressionSettings.Default));
        var e = Assert.Throws<ConfigException>(() => TestConfigs.Smoke("thresholds: []\nregression:\n  post_merge_tolerance: 5\n"));
        Assert.That(e!.Message, Does.Match(@":\d+:\d+: regression\.post_merge_tolerance: must be between 0 and 1"));
    }
}
