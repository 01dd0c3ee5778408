using Disagg.Harness.Configuration;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Cli;

/// <summary>
/// <c>disagg reevaluate &lt;job-dir&gt; --config FILE</c>: re-runs parsing, completeness, the result.json cross-check and
/// the config's thresholds on an existing job folder (<see cref="JobReevaluator"/>), without a cluster, so thresholds
/// can be tuned on past runs. Exit 1 when any check fails.
/// </summary>
public static class ReevaluateCommand
{
    public static int Run(string jobDir, string configPath, TextWriter output, TextWriter error)
    {
        if (!Directory.Exists(jobDir))
        {
            error.WriteLine($"reevaluate: job folder '{jobDir}' does not exist; pass the workspace of a past run (the folder holding benchmark.log)");
            return ExitCodes.BadInput;
        }
        if (!File.Exists(configPath))
        {
            error.WriteLine($"reevaluate: config '{configPath}' not found");
            return ExitCodes.BadInput;
        }
        DisaggConfig config;
        try
        {
            config = ConfigLoader.Load(configPath);
        }
        catch (ConfigException e)
        {
            foreach (var problem in e.Errors) error.WriteLine(problem.ToString());
            return ExitCodes.BadInput;
        }
        Reevaluation result;
        try
        {
            result = JobReevaluator.Reevaluate(jobDir, config);
        }
        catch (FileNotFoundException e)
        {
            error.WriteLine("reevaluate: " + e.Message);
            return ExitCodes.BadInput;
        }
        foreach (var block in result.Blocks)
            output.WriteLine($"concurrency {block.Concurrency}: {block.Metrics.Count} metric(s)");
        foreach (var verdict in result.Verdicts) output.WriteLine("  " + verdict.Describe());
        output.Write(result.Report.Message);
        if (!result.Report.Message.EndsWith('\n')) output.WriteLine();
        return result.Passed ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
