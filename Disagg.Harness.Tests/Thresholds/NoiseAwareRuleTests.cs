using Disagg.Harness.Configuration;
using Disagg.Harness.Results;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Thresholds;

/// <summary>The noise-aware decision (docs/thresholds.md §3a) on hand-computed cases.</summary>
public sealed class NoiseAwareRuleTests
{
    /// <summary>20 history values around 100 with a relative MAD noise of exactly 2 % (1.4826·MAD/median).</summary>
    private static readonly double[] History = [.. Enumerable.Range(0, 20).Select(i => 100 * (1 + ((i % 2 == 0 ? 1 : -1) * 0.02 / 1.4826)))];

    private static NoiseDecision Tpot(bool canRepeat, params double[] samples) =>
        NoiseAwareRule.Decide("median_tpot_ms", 64, samples, History, null, 0.05, 0.01, canRepeat);

    [Test]
    public void The_history_noise_is_the_relative_mad_and_the_baseline_its_median()
    {
        var d = Tpot(true, 100);
        Assert.That(d.HistoryNoisePercent, Is.EqualTo(2.0).Within(1e-9));
        Assert.That(d.Baseline, Is.EqualTo(100).Within(1e-9));
        Assert.That(d.HistoryRuns, Is.EqualTo(20));
    }

    [TestCase(new[] { 150.0 }, true, NoiseOutcome.Regression, TestName = "A clear miss fails at once, without repeats")]
    [TestCase(new[] { 106.0 }, true, NoiseOutcome.Suspect, TestName = "A miss within the noise is suspect while repeats are possible")]
    [TestCase(new[] { 104.5 }, true, NoiseOutcome.Suspect, TestName = "Just under the threshold but within half a standard error is suspect too")]
    [TestCase(new[] { 101.0 }, true, NoiseOutcome.Pass, TestName = "Well within the threshold passes at once")]
    [TestCase(new[] { 106.0 }, false, NoiseOutcome.Regression, TestName = "Without repeats a significant single sample beyond the threshold fails")]
    [TestCase(new[] { 114.0, 98.0, 106.0 }, false, NoiseOutcome.Pass, TestName = "Samples spread too wide to be significant pass")]
    [TestCase(new[] { 110.0, 110.5, 109.5 }, false, NoiseOutcome.Regression, TestName = "A confirmed 10 percent slowdown is a regression")]
    [TestCase(new[] { 107.9, 100.2, 99.8 }, false, NoiseOutcome.Pass, TestName = "A hiccup that the repeats do not confirm passes")]
    [TestCase(new[] { 110.0, 110.2 }, true, NoiseOutcome.Suspect, TestName = "While repeats are left only a clear miss decides before the budget is spent")]
    public void Outcomes(double[] samples, bool canRepeat, NoiseOutcome expected) =>
        Assert.That(Tpot(canRepeat, samples).Outcome, Is.EqualTo(expected), Tpot(canRepeat, samples).Message);

    [Test]
    public void Throughput_regresses_downwards()
    {
        var d = NoiseAwareRule.Decide("output_token_throughput", 4, [89.0, 90.0, 91.0], History, null, 0.05, 0.01, false);
        Assert.That(d.Outcome, Is.EqualTo(NoiseOutcome.Regression));
        Assert.That(d.WorsePercent, Is.EqualTo(10).Within(1e-9));
        Assert.That(d.Message, Does.Contain("-10.0 % [").And.Contain("< -5 % → regression"));
        Assert.That(NoiseAwareRule.Decide("output_token_throughput", 4, [110.0], History, null, 0.05, 0.01, true).Outcome, Is.EqualTo(NoiseOutcome.Pass));
    }

    [Test]
    public void The_message_names_change_interval_baseline_samples_noise_and_decision()
    {
        var d = Tpot(false, 110.0, 110.5, 109.5);
        Assert.That(d.Message, Does.Match(
            @"^median_tpot_ms c=64: \+10\.0 % \[\+\d\.\d, \+1\d\.\d\] over baseline 100 ms \(3 samples, history noise 2\.0 %, n=20\) > 5 % → regression$"));
        Assert.That(d.Low, Is.GreaterThan(0).And.LessThan(10));
    }

    [Test]
    public void A_pinned_baseline_wins_over_the_history_median()
    {
        var d = NoiseAwareRule.Decide("median_tpot_ms", 64, [100.0], History, 90, 0.05, 0.01, false);
        Assert.That(d.Baseline, Is.EqualTo(90));
        Assert.That(d.ChangePercent, Is.EqualTo(11.11).Within(0.01));
    }

    [Test]
    public void Too_little_history_is_not_judged()
    {
        var d = NoiseAwareRule.Decide("median_tpot_ms", 64, [150.0], [100, 101, 99, 100], null, 0.05, 0.01, true);
        Assert.That(d.Outcome, Is.EqualTo(NoiseOutcome.NotJudged));
    }

    [Test]
    public void The_judge_replaces_the_fixed_findings_and_falls_back_with_short_history()
    {
        var context = new RegressionContext("t", DateTimeOffset.UtcNow, RunKind.PreMerge);
        var key = context.KeyFor(64);
        HistoryRecord Rec(int day, double v) => new(context.Now.AddDays(-day), key, new Dictionary<string, double> { ["median_tpot_ms"] = v });
        var settings = RegressionSettings.Default with { GatingMetrics = ["median_tpot_ms"], PreMergeTolerance = 0.05 };
        var block = new ConcurrencyResult(64, 256, new Dictionary<string, double> { ["median_tpot_ms"] = 107.9 }, false, 1, 2, true);
        var repeats = new[] { 100.2, 99.8 }
            .Select((v, i) => block with { SampleIndex = i + 1, Metrics = new Dictionary<string, double> { ["median_tpot_ms"] = v } }).ToList();
        var history = History.Select((v, i) => Rec(i + 1, v)).ToList();

        var fixedRule = RegressionRule.Judge([block], history, settings with { Rule = RegressionRuleKind.Fixed }, context, repeats).Findings.Single();
        var noiseAware = RegressionRule.Judge([block], history, settings with { Rule = RegressionRuleKind.NoiseAware }, context, repeats).Findings.Single();
        var shortHistory = RegressionRule.Judge([block], history.Take(3).ToList(), settings with { Rule = RegressionRuleKind.NoiseAware }, context, repeats)
            .Findings.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((fixedRule.Regressed, fixedRule.Severity, fixedRule.Value), Is.EqualTo((true, FindingSeverity.Failure, 107.9)), "one sample, fixed");
            Assert.That((noiseAware.Regressed, noiseAware.Severity), Is.EqualTo((false, FindingSeverity.Pass)));
            Assert.That(noiseAware.Value, Is.EqualTo((107.9 + 100.2 + 99.8) / 3).Within(1e-9), "the mean of the samples");
            Assert.That(noiseAware.Note, Does.Contain("(3 samples, history noise"));
            Assert.That(shortHistory.Regressed, Is.True);
            Assert.That(shortHistory.Note, Does.Contain("history too short for a noise estimate (n=3 < 5): fixed rule"));
        }
    }
}
