using Disagg.Harness.Configuration;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Thresholds;

public sealed class VerdictReportTests
{
    [Test]
    public void Failures_problems_and_warnings_are_listed_separately_in_one_message()
    {
        var rule = new ThresholdRule("median_ttft_ms", Comparison.AtMost, 350, 64, "t.yaml:4");
        var findings = new[]
        {
            new RegressionFinding("output_token_throughput", 16, 1100, 1254.04, 0.10, -12.28, true, FindingSeverity.Failure, "regression (pre-merge: fails)"),
            new RegressionFinding("total_token_throughput", 16, 2400, 2508.08, 0.05, -4.31, false, FindingSeverity.Pass, ""),
            new RegressionFinding("median_tpot_ms", 64, 23.5, 21.79, 0.05, -7.85, true, FindingSeverity.Warning,
                "regression (post-merge: warns; triaged later)"),
            new RegressionFinding("total_token_throughput", 64, 5000, null, 0.10, null, false, FindingSeverity.Skipped, "no history"),
        };
        var report = VerdictReport.Build("dsr1-con16",
            [new ThresholdVerdict(rule, 64, 389.4, false), new ThresholdVerdict(rule with { Concurrency = 16 }, 16, null, false)],
            findings, ["benchmark.log:94: concurrency 64: 3 failed request(s)"]);
        Assert.That(report.Passed, Is.False);
        FixturePaths.AssertGolden(report.Message, "jobs", "golden", "report-failures-and-warnings.txt");
    }

    [Test]
    public void Diff_percent_is_positive_on_the_good_side_of_a_bound()
    {
        var atMost = new ThresholdRule("median_ttft_ms", Comparison.AtMost, 400, null, "x");
        var atLeast = new ThresholdRule("output_token_throughput", Comparison.AtLeast, 1000, null, "x");
        Assert.That(VerdictReport.DiffPercent(new ThresholdVerdict(atMost, 1, 300, true)), Is.EqualTo(25));
        Assert.That(VerdictReport.DiffPercent(new ThresholdVerdict(atLeast, 1, 900, false)), Is.EqualTo(-10));
        Assert.That(VerdictReport.DiffPercent(new ThresholdVerdict(atLeast with { Bound = 0 }, 1, 900, true)), Is.Null);
    }
}
