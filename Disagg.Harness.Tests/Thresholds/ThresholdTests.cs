using Disagg.Harness.Configuration;
using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Thresholds;

public sealed class ThresholdTests
{
    private static IReadOnlyList<ConcurrencyResult> Blocks() =>
        BenchmarkLogParser.Parse(File.ReadAllText(FixturePaths.Fixture("logs", "sample-6_bench.log")), "x").Blocks;

    private static IReadOnlyList<ThresholdRule> Rules(string yaml)
    {
        var text = File.ReadAllText(FixturePaths.Fixture("configs", "smoke.yaml"));
        var start = text.IndexOf("thresholds:", StringComparison.Ordinal);
        var end = text.IndexOf("worker_config:", StringComparison.Ordinal);
        return ConfigLoader.Parse(text[..start] + yaml + "\n" + text[end..], "t.yaml").Thresholds;
    }

    [Test]
    public void A_missed_bound_names_metric_concurrency_value_and_bound()
    {
        var verdicts = ThresholdEvaluator.Evaluate(Rules("thresholds:\n  - \"median_ttft_ms <= 350 at c=64\""), Blocks());
        Assert.That(verdicts.Single().Describe(),
            Is.EqualTo("median_ttft_ms at concurrency 64: 389.4 ms violates bound <= 350 ms (rule 'median_ttft_ms <= 350 at c=64' from t.yaml:45)"));
    }

    [Test]
    public void Rules_without_concurrency_apply_to_every_block()
    {
        var verdicts = ThresholdEvaluator.Evaluate(Rules("thresholds:\n  - metric: output_token_throughput\n    min: 2000"), Blocks());
        Assert.That(verdicts.Select(v => (v.Concurrency, v.Passed)), Is.EqualTo(new[] { (16, false), (64, true) }));
    }

    [Test]
    public void A_rule_for_a_concurrency_that_did_not_run_fails()
    {
        var verdict = ThresholdEvaluator.Evaluate(Rules("thresholds:\n  - \"median_tpot_ms <= 50 at c=32\""), Blocks()).Single();
        Assert.That(verdict.Passed, Is.False);
        Assert.That(verdict.Describe(), Does.Contain("no value"));
    }

    [Test]
    public void Unknown_metric_is_a_located_error_with_a_suggestion()
    {
        var e = Assert.Throws<ConfigException>(() => Rules("thresholds:\n  - \"median_ttf_ms <= 350\""));
        Assert.That(e!.Errors.Single().ToString(), Is.EqualTo("t.yaml:45:5: thresholds[0]: unknown metric 'median_ttf_ms' (did you mean 'median_ttft_ms'?)"));
    }
}
