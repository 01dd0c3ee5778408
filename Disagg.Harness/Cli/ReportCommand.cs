using Disagg.Harness.Reporting;

namespace Disagg.Harness.Cli;

/// <summary>
/// <c>disagg report &lt;results-dir&gt;</c>: writes report.html (and report.css), summary.md and perf_script_test_results.csv into a results
/// folder from its per-test results.json and TRX files. <c>GPU_TYPE</c> sets the legacy CSV's clocks.
/// </summary>
public static class ReportCommand
{
    public static int Run(string resultsDir, string? gpuType, DateTimeOffset now, TextWriter output, TextWriter error)
    {
        if (!Directory.Exists(resultsDir))
        {
            error.WriteLine($"report: results directory '{resultsDir}' does not exist");
            return ExitCodes.BadInput;
        }
        var files = ReportGenerator.WriteAll(resultsDir, gpuType, now, out var run);
        if (run.Tests.Count == 0)
            output.WriteLine($"report: no test results in {resultsDir} (no */results.json, no TRX); the reports are empty");
        output.WriteLine($"[disagg] report: {run.PassedCount} passed, {run.FailedCount} failed, {run.SkippedCount} skipped; wrote {string.Join(", ", files)}");
        return ExitCodes.Ok;
    }
}
