namespace Disagg.Harness.Reporting;

/// <summary>Reads a results directory and writes report.html (with its report.css), summary.md and perf_script_test_results.csv into it.</summary>
public static class ReportGenerator
{
    /// <returns>The paths written, in the order HTML, CSS, Markdown, CSV.</returns>
    public static IReadOnlyList<string> WriteAll(string resultsDir, string? gpuType, DateTimeOffset generatedAt, out RunReport run)
    {
        run = ReportReader.Read(resultsDir);
        var files = new (string Name, string Content)[]
        {
            (HtmlReport.FileName, HtmlReport.Render(run, generatedAt)),
            (HtmlReport.CssFileName, HtmlReport.Css + "\n"),
            (MarkdownSummary.FileName, MarkdownSummary.Render(run)),
            (LegacyCsv.FileName, LegacyCsv.Render(run, gpuType)),
        };
        var paths = new List<string>();
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(resultsDir, name);
            File.WriteAllText(path, content);
            paths.Add(path);
        }
        return paths;
    }
}
