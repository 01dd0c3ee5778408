using Disagg.Harness.Cluster;
using Disagg.Harness.Publishing;
using Disagg.Harness.Reporting;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Reporting;

/// <summary>The failure class, the attempts and a stale waiver go from results.json into report.html and summary.md.</summary>
public sealed class FailureClassReportTests
{
    [Test]
    public void Class_attempts_and_stale_waivers_reach_the_reports()
    {
        var dir = Directory.CreateTempSubdirectory("disagg-class-report-").FullName;
        try
        {
            var failed = new JudgedRun("t_fail", Path.Combine(dir, "t_fail"), "7", new JobOutcome("7", "FAILED", "1:0", "0:0", "None", "node[1-2]", ""), null,
                ["python traceback in ctx_server_0.log\nTraceback (most recent call last):\nRuntimeError: Executor worker returned error"], [], [],
                TimeSpan.FromSeconds(9)) { Cluster = "local" };
            var retried = new JudgedRun("t_retry", Path.Combine(dir, "t_retry"), "9", new JobOutcome("9", "COMPLETED", "0:0", "0:0", "None", "node[3-4]", ""),
                null, [], [], [], TimeSpan.FromSeconds(20))
            {
                EarlierAttempts = ["infra failure on node1 (NCCL timeout)"], AvoidedNodes = ["node2"],
                StaleWaiver = "SKIP (https://bugs/1) until 2020-01-31 (l.txt:1) expired; the test runs again",
            };
            foreach (var run in new[] { failed, retried })
            {
                Directory.CreateDirectory(run.Workspace);
                ResultsWriter.Write(run);
            }
            var report = ReportReader.Read(dir);
            var summary = MarkdownSummary.Render(report);
            var html = HtmlReport.Render(report, DateTimeOffset.UnixEpoch);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(report.Tests.Single(t => t.TestId == "t_fail").FailureClass, Is.EqualTo("product"));
                Assert.That(summary, Does.Contain("- failure class: product (runtime error)"));
                Assert.That(summary, Does.Contain("`t_retry`: attempts: infra failure on node1 (NCCL timeout), passed on retry"));
                Assert.That(summary, Does.Contain("`t_retry`: suspect nodes avoided (--avoid-suspect-nodes): node2"));
                Assert.That(summary, Does.Contain("`t_retry`: stale waiver (past its date, the test ran): SKIP (https://bugs/1) until 2020-01-31"));
                Assert.That(html, Does.Contain("attempts: infra failure on node1 (NCCL timeout), passed on retry"));
                Assert.That(html, Does.Contain("failure class: product (runtime error)"));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
