using Disagg.Harness.Configuration;
using Disagg.Harness.Results;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Thresholds;

public sealed class RegressionRuleTests
{
    private const string Test = "dsr1-ctx1-gen2-con16";
    private static readonly DateTimeOffset Now = new(2025, 6, 20, 9, 0, 0, TimeSpan.Zero);

    private static ConcurrencyResult Block(int c, params (string Metric, double Value)[] metrics) =>
        new(c, c * 8, metrics.ToDictionary(m => m.Metric, m => m.Value), false, 1, 2, true);

    private static HistoryRecord Past(int daysAgo, int c, params (string Metric, double Value)[] metrics) =>
        new(Now.AddDays(-daysAgo), Ctx().KeyFor(c), metrics.ToDictionary(m => m.Metric, m => m.Value));

    private static RegressionContext Ctx(RunKind kind = RunKind.PreMerge, bool functionalOnly = false) => new(Test, Now, kind, functionalOnly);

    /// <summary>Ten days of a flat 1000 tok/s history: the baseline is 1000 whatever the percentile.</summary>
    private static List<HistoryRecord> Flat(string metric = "output_token_throughput", double value = 1000, int c = 16) =>
        Enumerable.Range(1, 10).Select(d => Past(d, c, (metric, value))).ToList();

    private static RegressionSettings Only(params string[] gating) => RegressionSettings.Default with { GatingMetrics = gating };

    [Test]
    public void Pre_merge_regression_beyond_10_percent_fails_with_diff_and_baseline()
    {
        var f = RegressionRule.Evaluate([Block(16, ("output_token_throughput", 880))], Flat(), Only("output_token_throughput"), Ctx()).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(f.Severity, Is.EqualTo(FindingSeverity.Failure));
            Assert.That(f.Baseline, Is.EqualTo(1000), "P95 of ten rolled rows of 1000: the new value never enters its own baseline");
            Assert.That(f.Tolerance, Is.EqualTo(0.10));
            Assert.That(f.DiffPercent, Is.LessThan(-10));
        }
    }

    [Test]
    public void Within_pre_merge_tolerance_passes_but_same_drop_post_merge_warns()
    {
        var block = Block(16, ("output_token_throughput", 930));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RegressionRule.Evaluate([block], Flat(), Only("output_token_throughput"), Ctx()).Single().Severity, Is.EqualTo(FindingSeverity.Pass));
            var post = RegressionRule.Evaluate([block], Flat(), Only("output_token_throughput"), Ctx(RunKind.PostMerge)).Single();
            Assert.That(post.Severity, Is.EqualTo(FindingSeverity.Warning));
            Assert.That(post.Tolerance, Is.EqualTo(0.05));
            Assert.That(post.Note, Does.Contain("post-merge: warns"));
        }
    }

    [Test]
    public void Tpot_is_minimize_a_higher_latency_regresses_and_diff_is_negative()
    {
        var history = Flat("median_tpot_ms", 10);
        var slower = RegressionRule.Evaluate([Block(16, ("median_tpot_ms", 12))], history, Only("median_tpot_ms"), Ctx()).Single();
        var faster = RegressionRule.Evaluate([Block(16, ("median_tpot_ms", 8))], history, Only("median_tpot_ms"), Ctx()).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(slower.Severity, Is.EqualTo(FindingSeverity.Failure));
            Assert.That(slower.DiffPercent, Is.LessThan(0));
            Assert.That(slower.Limit, Is.EqualTo(slower.Baseline!.Value * 1.10).Within(1e-9));
            Assert.That(faster.Severity, Is.EqualTo(FindingSeverity.Pass));
            Assert.That(faster.DiffPercent, Is.GreaterThan(0), "TPOT is minimize: lower is better");
            Assert.That(slower.Baseline, Is.EqualTo(10), "P5 of a flat history");
        }
    }

    [Test]
    public void No_history_skips_with_a_reason()
    {
        var f = RegressionRule.Evaluate([Block(16, ("output_token_throughput", 1))], [], Only("output_token_throughput"), Ctx()).Single();
        Assert.That(f.Severity, Is.EqualTo(FindingSeverity.Skipped));
        Assert.That(f.Describe(), Does.Contain("no history for dsr1-ctx1-gen2-con16-con16_iter1_isl1024_osl1024 at concurrency 16"));
    }

    [Test]
    public void History_of_another_concurrency_does_not_count()
    {
        var f = RegressionRule.Evaluate([Block(64, ("output_token_throughput", 1))], Flat(c: 16), Only("output_token_throughput"), Ctx()).Single();
        Assert.That(f.Severity, Is.EqualTo(FindingSeverity.Skipped));
    }

    [Test]
    public void A_baseline_at_or_below_zero_is_skipped()
    {
        var history = Flat("output_token_throughput", -5);
        var f = RegressionRule.Evaluate([Block(16, ("output_token_throughput", -50))], history, Only("output_token_throughput"), Ctx()).Single();
        Assert.That(f.Severity, Is.EqualTo(FindingSeverity.Skipped));
        Assert.That(f.Note, Does.Contain("not positive"));
    }

    [Test]
    public void One_day_of_history_gives_a_baseline()
    {
        var history = new[] { Past(1, 16, ("output_token_throughput", 1000)) };
        var f = RegressionRule.Evaluate([Block(16, ("output_token_throughput", 500))], history, Only("output_token_throughput"), Ctx()).Single();
        // One row, yesterday's 1000: today's 500 is judged against it, not averaged into it.
        Assert.That(f.Baseline, Is.EqualTo(1000).Within(1e-9));
        Assert.That(f.Severity, Is.EqualTo(FindingSeverity.Failure));
    }

    [Test]
    public void Functional_only_never_fails_and_fail_on_always_fails_post_merge()
    {
        var block = Block(16, ("output_token_throughput", 500));
        using (Assert.EnterMultipleScope())
        {
            var functional = RegressionRule.Evaluate([block], Flat(), Only("output_token_throughput"), Ctx(functionalOnly: true)).Single();
            Assert.That(functional.Severity, Is.EqualTo(FindingSeverity.Warning));
            Assert.That(functional.Note, Does.Contain("FUNCTIONAL-ONLY"));
            var always = RegressionRule.Evaluate([block], Flat(), Only("output_token_throughput") with { FailOn = FailOnRegression.Always },
                Ctx(RunKind.PostMerge)).Single();
            Assert.That(always.Severity, Is.EqualTo(FindingSeverity.Failure));
        }
    }

    [Test]
    public void Per_metric_tolerance_overrides_the_default()
    {
        var settings = Only("output_token_throughput") with
        {
            PerMetric = new Dictionary<string, ToleranceOverride> { ["output_token_throughput"] = new(null, 0.30) },
        };
        var f = RegressionRule.Evaluate([Block(16, ("output_token_throughput", 800))], Flat(), settings, Ctx()).Single();
        Assert.That((f.Tolerance, f.Severity), Is.EqualTo((0.30, FindingSeverity.Pass)));
    }

    [Test]
    public void Pre_merge_is_exempt_when_the_latest_post_merge_run_already_misses_the_gate()
    {
        var history = Flat();
        history.Add(Past(0, 16, ("output_token_throughput", 700)) with { Timestamp = Now.AddHours(-1) });
        var f = RegressionRule.Evaluate([Block(16, ("output_token_throughput", 700))], history, Only("output_token_throughput"), Ctx()).Single();
        Assert.That(f.Severity, Is.EqualTo(FindingSeverity.Warning));
        Assert.That(f.Note, Does.StartWith("exempt: the latest post-merge value of d_token_throughput (700) already misses the same gate"));
    }

    [Test]
    public void Default_gating_is_the_two_token_throughputs_and_the_step_time_for_gen_only()
    {
        var findings = RegressionRule.Evaluate([Block(16)], [], RegressionSettings.Default, Ctx());
        Assert.That(findings.Select(f => f.Metric), Is.EqualTo(new[] { "output_token_throughput", "total_token_throughput" }));
        Assert.That(RegressionSettings.DefaultGating(genOnly: true, speculativeDecoding: false),
            Is.EqualTo(new[] { "mean_gen_worker_per_iter_device_step_time", "median_gen_worker_per_iter_device_step_time" }));
    }

    [Test]
    public async Task A_history_source_that_throws_skips_the_check_with_a_warning()
    {
        var block = Block(16, ("output_token_throughput", 1));
        var verdict = await RegressionRule.EvaluateAsync([block], new Failing(), RegressionSettings.Default, Ctx(), CancellationToken.None);
        var findings = verdict.Findings;
        Assert.That(verdict.Cases, Is.Empty, "no history read: documents carry no regression fields");
        Assert.That(findings.Select(f => f.Severity), Is.All.EqualTo(FindingSeverity.Warning));
        Assert.That(findings[0].Note, Does.Contain("history could not be read (perf db down)"));
    }

    [Test]
    public async Task The_in_memory_source_filters_by_test_post_merge_and_lookback()
    {
        var records = new[]
        {
            Past(1, 16, ("output_token_throughput", 1)),
            Past(100, 16, ("output_token_throughput", 2)),
            Past(1, 16, ("output_token_throughput", 3)) with { IsPostMerge = false },
            Past(1, 16, ("output_token_throughput", 4)) with { Key = Ctx().KeyFor(16) with { Branch = "release/1.0" } },
        };
        var query = new HistoryQuery([Ctx().KeyFor(16)], RegressionRule.Since(Now, 90));
        var got = await new InMemoryHistorySource(records).GetAsync(query, CancellationToken.None);
        Assert.That(got.Select(r => r["output_token_throughput"]), Is.EqualTo(new double?[] { 1 }));
        Assert.That(RegressionRule.Since(Now, 90), Is.EqualTo(new DateTimeOffset(2025, 3, 22, 0, 0, 0, TimeSpan.Zero)));
    }

    private sealed class Failing : IHistorySource
    {
        public Task<IReadOnlyList<HistoryRecord>> GetAsync(HistoryQuery query, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("perf db down");
    }
}
