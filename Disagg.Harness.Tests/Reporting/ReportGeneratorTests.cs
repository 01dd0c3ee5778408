using Disagg.Harness.Reporting;

namespace Disagg.Harness.Tests.Reporting;

public sealed class ReportGeneratorTests
{
    [Test]
    public void Writes_the_reports_and_the_stylesheet_into_the_results_directory()
    {
        var dir = ReportFixture.CopyToTemp();
        try
        {
            var files = ReportGenerator.WriteAll(dir, "GB200", ReportFixture.GeneratedAt, out var run);

            Assert.That(files.Select(Path.GetFileName), Is.EqualTo(new[] { "report.html", "report.css", "summary.md", "perf_script_test_results.csv" }));
            Assert.That(files, Has.All.Matches<string>(f => new FileInfo(f).Length > 500));
            Assert.That(run.Tests, Has.Count.EqualTo(4));
            Assert.That(File.ReadAllText(files[1]), Is.EqualTo(HtmlReport.Css + "\n"));
            Assert.That(File.ReadAllText(files[2]), Is.EqualTo(MarkdownSummary.Render(run)));

            ReportGenerator.WriteAll(dir, "GB200", ReportFixture.GeneratedAt, out _);
            Assert.That(File.ReadAllLines(files[3]), Has.Length.EqualTo(11), "rerunning regenerates the CSV instead of appending");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
