using Disagg.Harness.Configuration;
using Disagg.Harness.Thresholds;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Tests.Thresholds;

public sealed class RegressionSettingsParserTests
{
    private static (RegressionSettings Settings, List<ConfigError> Errors) Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var errors = new List<ConfigError>();
        var node = root.Children.TryGetValue(new YamlScalarNode("regression"), out var n) ? n : null;
        return (RegressionSettingsParser.Parse(node, "c.yaml", errors), errors);
    }

    [Test]
    public void A_missing_section_gives_the_reference_defaults()
    {
        var (s, errors) = Parse("other: 1\n");
        Assert.That(errors, Is.Empty);
        Assert.That((s.Enabled, s.GatingMetrics, s.PostMergeTolerance, s.PreMergeTolerance, s.LookbackDays, s.FailOn),
            Is.EqualTo((true, (IReadOnlyList<string>?)null, 0.05, 0.10, 90, FailOnRegression.Auto)));
    }

    [Test]
    public void The_full_schema_is_read()
    {
        var (s, errors) = Parse("""
            regression:
              gating_metrics: [output_token_throughput, median_tpot_ms]
              post_merge_tolerance: 0.03
              pre_merge_tolerance: "8%"
              lookback_days: 30
              fail_on_regression: never
              metrics:
                median_tpot_ms: {pre_merge_tolerance: 0.2}
            """);
        Assert.That(errors, Is.Empty);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(s.GatingMetrics, Is.EqualTo(new[] { "output_token_throughput", "median_tpot_ms" }));
            Assert.That(s.Tolerance("output_token_throughput", RunKind.PreMerge), Is.EqualTo(0.08).Within(1e-12));
            Assert.That(s.Tolerance("median_tpot_ms", RunKind.PreMerge), Is.EqualTo(0.2));
            Assert.That(s.Tolerance("median_tpot_ms", RunKind.PostMerge), Is.EqualTo(0.03));
            Assert.That((s.LookbackDays, s.FailOn, s.Source), Is.EqualTo((30, FailOnRegression.Never, "c.yaml:2")));
        }
    }

    [Test]
    public void Bad_entries_are_located_errors_that_say_what_to_do()
    {
        var (_, errors) = Parse("""
            regression:
              gating_metrics: [output_token_thruput, total_requests]
              post_merge_tolerance: 5
              fail_on_regression: sometimes
              metrics:
                p99_itl_ms: {pre_merge_tolerance: 0.2}
              tolerance: 0.1
            """);
        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "c.yaml:2:20: regression.gating_metrics: unknown metric 'output_token_thruput' (did you mean 'output_token_throughput'?)",
            "c.yaml:2:42: regression.gating_metrics: 'total_requests' has no better direction (neither maximize nor minimize) and cannot gate; "
                + "pick a throughput or latency metric",
            "c.yaml:3:25: regression.post_merge_tolerance: must be between 0 and 1 exclusive as a fraction (0.05 = 5 %), got 5; write \"5%\" or 0.05",
            "c.yaml:4:23: regression.fail_on_regression: 'sometimes' is not one of auto, always, never",
            "c.yaml:6:5: regression.metrics.p99_itl_ms: has a tolerance but is not in gating_metrics; add it there or remove this entry",
            "c.yaml:7:3: regression.tolerance: unknown key",
        }));
    }

    [Test]
    public void The_rule_is_fixed_without_a_section_and_noise_aware_for_a_section_without_rule()
    {
        Assert.That(Parse("other: 1\n").Settings.Rule, Is.EqualTo(RegressionRuleKind.Fixed), "configs as TensorRT-LLM writes them keep the inherited rule");
        var (s, errors) = Parse("regression:\n  enabled: true\n");
        Assert.That(errors, Is.Empty);
        Assert.That((s.Rule, s.ConfirmRuns, s.Alpha, s.ConfirmExtraTime, s.HistoryRuns, s.Confirms),
            Is.EqualTo((RegressionRuleKind.NoiseAware, 2, 0.01, 0.25, 30, true)));
        Assert.That(Parse("regression:\n  rule: fixed\n").Settings.Rule, Is.EqualTo(RegressionRuleKind.Fixed));
        var custom = Parse("regression:\n  rule: noise_aware\n  confirm_runs: 0\n  alpha: 0.05\n  confirm_extra_time: 0.1\n  history_runs: 10\n").Settings;
        Assert.That((custom.ConfirmRuns, custom.Alpha, custom.ConfirmExtraTime, custom.HistoryRuns, custom.Confirms), Is.EqualTo((0, 0.05, 0.1, 10, false)));
    }

    [Test]
    public void A_bad_rule_or_budget_is_a_located_error()
    {
        var (_, errors) = Parse("regression:\n  rule: noise-aware\n  confirm_runs: -1\n");
        Assert.That(errors.Select(e => e.ToString()), Has.Some.Contains("c.yaml:2").And.Some.Contains("noise_aware"));
        Assert.That(errors.Select(e => e.ToString()), Has.Some.Contains("confirm_runs").And.Some.Contains(">= 0"));
    }
}
