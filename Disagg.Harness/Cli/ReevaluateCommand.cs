using Disagg.Harness.Configuration;
using Disagg.Harness.Publishing;
using Disagg.Harness.Rendering;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Cli;

/// <summary>
/// <c>disagg reevaluate &lt;job-dir&gt; --config FILE</c>: judges an existing job folder again with the config's thresholds
/// (<see cref="JobReevaluator"/>: the live run's reader and judge), without a cluster, so thresholds can be tuned on past
/// runs. History for the regression rule comes from the same environment variables as a run (the embedded Perf DB of
/// the folder's results directory included). Exit 1 when any check fails, 2 on bad input.
/// </summary>
public static class ReevaluateCommand
{
    public static int Run(string jobDir, string configPath, TextWriter output, TextWriter error) =>
        RunAsync(jobDir, configPath, ResultPublisher.CurrentEnvironment(), output, error, CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(string jobDir, string configPath, IReadOnlyDictionary<string, string> env, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
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
        var folder = Path.GetFullPath(Path.TrimEndingDirectorySeparator(jobDir));
        var testId = Path.GetFileName(folder);
        var (history, historyLine) = HistorySources.FromEnvironment(env, error.WriteLine, resultsDir: Path.GetDirectoryName(folder));
        output.WriteLine(historyLine);
        JudgedRun result;
        try
        {
            var facts = Path.Combine(folder, JobFiles.SystemFacts);
            var gpuType = GpuTypeResolver.Resolve(env, File.Exists(facts) ? await File.ReadAllTextAsync(facts, cancellationToken).ConfigureAwait(false) : null);
            // The cluster the live run judged on (its results.json), so reevaluating reads the same cluster's history.
            var context = RegressionContextFactory.For(testId, config, env, DateTimeOffset.UtcNow, gpuType, RecordedCluster(folder));
            result = await JobReevaluator.ReevaluateAsync(folder, config, history, context, cancellationToken).ConfigureAwait(false) with { GpuType = gpuType };
        }
        catch (FileNotFoundException e)
        {
            error.WriteLine("reevaluate: " + e.Message);
            return ExitCodes.BadInput;
        }
        foreach (var block in result.Blocks)
            output.WriteLine($"concurrency {block.Concurrency}: {block.Metrics.Count} metric(s)");
        foreach (var verdict in result.Verdicts) output.WriteLine("  " + verdict.Describe());
        foreach (var warning in result.Warnings) output.WriteLine("  warning: " + warning);
        output.Write(result.Report.Message);
        if (!result.Report.Message.EndsWith('\n')) output.WriteLine();
        return result.Passed ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static string RecordedCluster(string folder)
    {
        var file = Path.Combine(folder, ResultsWriter.FileName);
        if (!File.Exists(file)) return "";
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
            return doc.RootElement.TryGetProperty("cluster", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.String ? c.GetString() ?? "" : "";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }
}
