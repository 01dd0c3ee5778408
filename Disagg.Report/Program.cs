// Writes report.html, summary.md and perf_script_test_results.csv into a results directory.
// Usage: dotnet Disagg.Report.dll <results-dir>   (GPU_TYPE selects the legacy CSV's sm_clk/mem_clk)
// Kept for existing callers; `disagg report <results-dir>` (Disagg.Cli) is the same command (Disagg.Harness/Cli/ReportCommand).
using Disagg.Harness.Cli;

if (args.Length != 1 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: Disagg.Report <results-dir>  (same as: disagg report <results-dir>)\n"
        + "  writes report.html, summary.md and perf_script_test_results.csv into <results-dir>");
    return args.Length == 1 ? ExitCodes.Ok : ExitCodes.BadInput;
}
return ReportCommand.Run(args[0], Environment.GetEnvironmentVariable("GPU_TYPE"), DateTimeOffset.UtcNow, Console.Out, Console.Error);
