using Disagg.Harness.Configuration;
using Disagg.Harness.Publishing;
using Disagg.Harness.Results;
using Disagg.Harness.Tests.Publishing;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Thresholds;

/// <summary>
/// Regression verdicts on one synthetic history that mixes branches, runtimes, GPU types, pre-merge records and
/// pinned baselines follow TensorRT-LLM's rule. Each row names the upstream function whose behaviour it expects
/// (tests/integration/defs/perf/perf_regression_utils.py, open_search_db_utils.py and
/// tests/test_common/perf_sanity_matching.py; docs/upstream-conformance.md says which versions were read).
/// </summary>
public sealed class UpstreamRegressionTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 14, 6, 0, 0, TimeSpan.Zero);
    private const string Prefix = "e2e-gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX";
    private const int C = 16;

    private static HistoryIdentity Identity(string branch) => new(Prefix, 10, 1024, 1024, "gb200", HistoryIdentity.DisaggRuntime, branch);

    private static HistoryRecord Rec(string branch, int daysAgo, double? token, double? total = null, string runtime = HistoryIdentity.DisaggRuntime,
        string gpu = "gb200", string? name = null, bool postMerge = true, Dictionary<string, double>? pins = null)
    {
        var metrics = new Dictionary<string, double>();
        if (token is { } t) metrics["output_token_throughput"] = t;
        if (total is { } u) metrics["total_token_throughput"] = u;
        var key = new CaseKey(name ?? Identity(branch).TestCaseName(C), gpu, runtime, branch);
        return new HistoryRecord(Now.AddDays(-daysAgo), key, metrics, postMerge)
        {
            Pinned = pins ?? [],
            HasBaselineFields = pins?.Keys.Any(k => k.StartsWith("d_baseline_", StringComparison.Ordinal)) == true,
        };
    }

    private static IEnumerable<HistoryRecord> Days(string branch, double token, double? total = null) =>
        Enumerable.Range(2, 4).Select(d => Rec(branch, d, token, total));

    /// <summary>The synthetic history every row is judged against.</summary>
    private static readonly IReadOnlyList<HistoryRecord> History =
    [
        .. Days("main", 1000),
        Rec("main", 1, 5000, runtime: "aggr_server"),
        Rec("main", 1, 3000, gpu: "gb300"),
        Rec("main", 1, 10, postMerge: false),
        Rec("main", 1, 7, name: "e2e-other_config-con16_iter10_isl1024_osl1024"),
        Rec("main", 1, 9, name: Prefix + "-con16_iter12_isl1024_osl1024"),
        .. Days("release/1.0", 2000),
        .. Days("release/pinned", 1300),
        Rec("release/pinned", 3, 1250, pins: new() { ["d_baseline_token_throughput"] = 1200.0, ["d_threshold_pre_merge_token_throughput"] = 0.2,
            ["d_threshold_post_merge_token_throughput"] = 0.01 }),
        Rec("release/pinned", 1, 1150),
        .. Days("release/negative-pin", 1000),
        Rec("release/negative-pin", 1, 1000, pins: new() { ["d_baseline_token_throughput"] = -1.0 }),
        Rec("release/two-pins", 4, 1000, pins: new() { ["d_baseline_token_throughput"] = 900.0 }),
        Rec("release/two-pins", 2, 1000, pins: new() { ["d_baseline_token_throughput"] = 1100.0 }),
        .. Days("release/main-regressed", 1000),
        Rec("release/main-regressed", 1, 800),
        .. Days("release/main-ok", 1000),
        Rec("release/main-ok", 1, 950),
        .. Days("release/latest-missing", 1000),
        Rec("release/latest-missing", 1, null, 3000),
        .. Days("release/total-regressed", 1000, 3000),
        Rec("release/total-regressed", 1, 1000, 2000),
    ];

    public sealed record Row(string Name, RunKind Kind, string LookupBranch, double Value, FindingSeverity Severity, double? Baseline, double Tolerance,
        bool Exempt = false, bool FunctionalOnly = false, double? ConfiguredPreMergeTolerance = null)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<TestCaseData> Rows()
    {
        TestCaseData Case(Row row) => new TestCaseData(row).SetName(row.Name);

        // perf_sanity_matching.get_test_case_match_keys + benchmark_data_matches: only the same test case name, GPU type,
        // runtime and branch is history; open_search_db_utils.get_history_data asks for post-merge records only.
        // perf_regression_utils.process_and_upload_test_results: a pre-merge run looks its history up on main.
        // perf_regression_utils.calculate_baseline_metrics: P95 of the rolled daily means (1000); 880 < 1000 × 0.9.
        yield return Case(new Row("pre-merge judged on main only: other branches, runtimes, GPUs, names and pre-merge records ignored",
            RunKind.PreMerge, "main", 880, FindingSeverity.Failure, 1000, 0.10));
        // perf_regression_utils.process_and_upload_test_results: post-merge keeps its own branch;
        // prepare_regressive_test_cases: POST_MERGE_THRESHOLD 0.05 → 1950 ≥ 2000 × 0.95.
        yield return Case(new Row("post-merge on a release branch judged on that branch", RunKind.PostMerge, "release/1.0", 1950,
            FindingSeverity.Pass, 2000, 0.05));
        // open_search_db_utils.get_history_data.get_latest_baseline_threshold: the newest record with d_baseline_* pins
        // baseline and thresholds even when a newer record has none; prepare_regressive_test_cases: 1000 ≥ 1200 × 0.8.
        yield return Case(new Row("the newest record with baseline fields pins baseline and pre-merge threshold", RunKind.PreMerge,
            "release/pinned", 1000, FindingSeverity.Pass, 1200, 0.20));
        // prepare_regressive_test_cases: post-merge reads d_threshold_post_merge_* of the pinned record: 1180 < 1200 × 0.99.
        yield return Case(new Row("a pinned post-merge threshold applies to post-merge runs", RunKind.PostMerge, "release/pinned", 1180,
            FindingSeverity.Warning, 1200, 0.01));
        // prepare_regressive_test_cases: a pinned baseline ≤ 0 falls back to calculate_baseline_metrics.
        yield return Case(new Row("a pinned baseline of -1 falls back to the rolling baseline", RunKind.PreMerge, "release/negative-pin", 880,
            FindingSeverity.Failure, 1000, 0.10));
        // get_latest_baseline_threshold: sorted by @timestamp, the newest pinning record wins (1100, not 900).
        yield return Case(new Row("the newest of two pins wins", RunKind.PreMerge, "release/two-pins", 1000, FindingSeverity.Pass, 1100, 0.10));
        // prepare_regressive_test_cases (pre-merge exemption): the latest post-merge value 800 itself misses 1000 × 0.9,
        // so the case does not fail the stage; b_is_regression stays true.
        yield return Case(new Row("pre-merge exempt when main's latest post-merge value already misses the gate", RunKind.PreMerge,
            "release/main-regressed", 800, FindingSeverity.Warning, 1000, 0.10, Exempt: true));
        // Same function: main at 950 is within the 10 % gate, so a PR at 800 is blamed.
        yield return Case(new Row("no exemption when main's latest value is within the gate", RunKind.PreMerge, "release/main-ok", 800,
            FindingSeverity.Failure, 1000, 0.10));
        // Same function: the latest record (not the latest with the metric) is read; a missing value never exempts.
        yield return Case(new Row("a latest record without the metric never exempts", RunKind.PreMerge, "release/latest-missing", 800,
            FindingSeverity.Failure, 1000, 0.10));
        // Same function, per test case: main's latest misses the gate on total token throughput (2000 < 3000 × 0.9), which
        // waives the whole case, the output token throughput regression included.
        yield return Case(new Row("the exemption covers the whole test case", RunKind.PreMerge, "release/total-regressed", 800,
            FindingSeverity.Warning, 1000, 0.10, Exempt: true));
        // test_perf_sanity.upload_test_results_to_database: a FUNCTIONAL-ONLY stage passes fail_on_regression=False.
        yield return Case(new Row("a FUNCTIONAL-ONLY stage never fails", RunKind.PreMerge, "main", 880, FindingSeverity.Warning, 1000, 0.10,
            FunctionalOnly: true));
        // Disagg's regression section: a tolerance written in the config beats the pinned 20 % (1100 < 1200 × 0.95).
        yield return Case(new Row("a configured tolerance beats a pinned threshold", RunKind.PreMerge, "release/pinned", 1100,
            FindingSeverity.Failure, 1200, 0.05, ConfiguredPreMergeTolerance: 0.05));
        // prepare_regressive_test_cases: no latest history for the case → no verdict (s_regression_info "").
        yield return Case(new Row("a case without history is not judged", RunKind.PreMerge, "release/none", 1, FindingSeverity.Skipped, null, 0.10));
    }

    [TestCaseSource(nameof(Rows))]
    public void Verdicts_follow_the_upstream_rule(Row row)
    {
        var settings = RegressionSettings.Default with { GatingMetrics = ["output_token_throughput", "total_token_throughput"] };
        if (row.ConfiguredPreMergeTolerance is { } tolerance)
            settings = settings with { PerMetric = new Dictionary<string, ToleranceOverride> { ["output_token_throughput"] = new(null, tolerance) } };
        var context = new RegressionContext("t", Now, row.Kind, row.FunctionalOnly) { Identity = Identity(row.LookupBranch) };
        var block = new ConcurrencyResult(C, 160, new Dictionary<string, double> { ["output_token_throughput"] = row.Value, ["total_token_throughput"] = 3000 },
            false, 1, 2, true);
        var verdict = RegressionRule.Judge([block], History, settings, context);
        var finding = verdict.Findings.Single(f => f.Metric == "output_token_throughput");
        var regressionCase = verdict.Cases.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding.Severity, Is.EqualTo(row.Severity), finding.Describe());
            Assert.That(finding.Baseline, row.Baseline is null ? Is.Null : Is.EqualTo(row.Baseline).Within(1e-9));
            Assert.That(finding.Tolerance, Is.EqualTo(row.Tolerance).Within(1e-12));
            Assert.That(regressionCase.ExemptBy is not null, Is.EqualTo(row.Exempt));
            Assert.That(regressionCase.Info.Contains(RegressionCase.ExemptionNote, StringComparison.Ordinal), Is.EqualTo(row.Exempt));
            Assert.That(regressionCase.IsRegression, Is.EqualTo(finding.Regressed), "b_is_regression records what was measured, exempt or not");
            Assert.That(regressionCase.HasHistory, Is.EqualTo(row.Baseline is not null));
        }
    }

    [Test]
    public void Any_speculative_decoding_type_gates_the_acceptance_length()
    {
        // test_perf_sanity.upload_test_results_to_database: d_al joins the regression metrics when any client runs
        // speculative decoding, i.e. ctx or gen has a decoding_type (an Eagle3 draft without MTP layers counts).
        var smoke = PublishingSamples.Smoke();
        var config = smoke with { Ctx = smoke.Ctx with { DecodingType = "Eagle3" } };
        var context = RegressionContextFactory.For("t", config, PublishingSamples.JenkinsPreMerge, Now, "gb200");
        var history = Enumerable.Range(2, 4).Select(d => new HistoryRecord(Now.AddDays(-d), context.KeyFor(4),
            new Dictionary<string, double> { ["mean_avg_decoded_tokens_per_iter"] = 3.0 })).ToList();
        var block = new ConcurrencyResult(4, 16, new Dictionary<string, double> { ["mean_avg_decoded_tokens_per_iter"] = 2.0 }, false, 1, 2, true);
        var findings = RegressionRule.Evaluate([block], history, RegressionSettings.Default, context);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.SpeculativeDecoding, Is.True);
            Assert.That(smoke.Ctx.MtpLayers + smoke.Gen.MtpLayers, Is.Zero);
            Assert.That(findings.Single(f => f.Metric == "mean_avg_decoded_tokens_per_iter").Severity, Is.EqualTo(FindingSeverity.Failure));
        }
    }

    [Test]
    public void Gen_only_gates_the_median_step_time_as_well_as_the_mean()
    {
        // test_perf_sanity.GEN_ONLY_REGRESSION_METRICS: mean and median are both gated; one anomalous iteration moves only
        // the mean, a shift of the typical iteration moves the median.
        var context = new RegressionContext("t", Now, RunKind.PreMerge, GenOnly: true) { Identity = Identity("main") };
        var history = Enumerable.Range(2, 4).Select(d => new HistoryRecord(Now.AddDays(-d), context.KeyFor(C), new Dictionary<string, double>
        {
            ["mean_gen_worker_per_iter_device_step_time"] = 9.0, ["median_gen_worker_per_iter_device_step_time"] = 9.0,
        })).ToList();
        var block = new ConcurrencyResult(C, 16, new Dictionary<string, double>
        {
            ["mean_gen_worker_per_iter_device_step_time"] = 9.5, ["median_gen_worker_per_iter_device_step_time"] = 10.5,
        }, false, 1, 2, true);
        var findings = RegressionRule.Evaluate([block], history, RegressionSettings.Default, context);
        Assert.That(findings.Select(f => (f.Metric, f.Severity)), Is.EqualTo(new[]
        {
            ("mean_gen_worker_per_iter_device_step_time", FindingSeverity.Pass),
            ("median_gen_worker_per_iter_device_step_time", FindingSeverity.Failure),
        }));
    }
}
