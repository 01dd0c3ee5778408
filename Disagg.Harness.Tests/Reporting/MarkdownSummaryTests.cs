using System.Globalization;
using Disagg.Harness.Reporting;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Reporting;

public sealed class MarkdownSummaryTests
{
    [Test]
    public void Summary_of_the_fixture_run_matches_golden() =>
        FixturePaths.AssertGolden(MarkdownSummary.Render(ReportFixture.Read()), "golden", "reporting", "summary.md");

    [Test]
    public void Each_test_has_one_row_with_its_verdict_and_the_metrics_of_its_highest_concurrency()
    {
        var run = ReportFixture.Read();
        var lines = MarkdownSummary.Render(run).Split('\n');

        foreach (var t in run.Tests)
        {
            var row = lines.Single(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains($"`{t.TestId}`", StringComparison.Ordinal));
            Assert.That(row, Does.StartWith(t.Passed ? "| ✅ pass" : "| ❌"));
            if (t.Highest is not { } top) continue;
            foreach (var (metric, _) in MarkdownSummary.KeyMetrics)
                Assert.That(row, Does.Contain($"| {ReportFormat.Number(top[metric])} |"), $"{t.TestId} {metric}");
        }
    }

    [Test]
    public void Failures_list_every_failed_test_with_its_reasons()
    {
        var run = ReportFixture.Read();
        var text = MarkdownSummary.Render(run);
        var failures = text[text.IndexOf("### Failures", StringComparison.Ordinal)..];

        foreach (var t in run.Tests.Where(t => !t.Passed))
            Assert.That(failures, Does.Contain($"#### `{t.TestId}`"));
        Assert.That(failures, Does.Not.Contain(ReportFixture.PassedId));
        Assert.That(failures, Does.Contain(@"\<CUDA\> out of memory \| tried"), "pipes and angle brackets are escaped");
    }

    [Test]
    public void An_empty_run_says_so() =>
        Assert.That(MarkdownSummary.Render(new RunReport("/r", [])), Does.Contain("No test results were found"));
}
