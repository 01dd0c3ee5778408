// Writes report.html, summary.md and perf_script_test_results.csv into a results directory.
// Usage: dotnet Disagg.Report.dll <results-dir>   (GPU_TYPE selects the legacy CSV's sm_clk/mem_clk)
// Kept tiny on purpose: the logic lives in Disagg.Harness/Reporting; a CLI's `report` verb can replace this entry point.
using Disagg.Harness.Reporting;

if (args.Length != 1 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: Disagg.Report <results-dir>\n  writes report.html, summary.md and perf_script_test_results.csv into <results-dir>");
    return args.Length == 1 ? 0 : 2;
}
if (!Directory.Exists(args[0]))
{
    Console.Error.WriteLine($"Disagg.Report: results directory '{args[0]}' does not exist");
    return 2;
}
var files = ReportGenerator.WriteAll(args[0], Environment.GetEnvironmentVariable("GPU_TYPE"), DateTimeOffset.UtcNow, out var run);
Console.WriteLine($"[disagg] report: {run.PassedCount} passed, {run.FailedCount} failed; wrote {string.Join(", ", files)}");
return 0;
