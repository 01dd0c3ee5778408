using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// <c>disagg reevaluate</c>: judges an existing job folder again, without a cluster, so users tune thresholds on
/// past runs. It reads the folder through the same <see cref="JobWorkspace"/> and judges with the same
/// <see cref="JobJudge"/> as a live run, so the same folder always gets the same verdicts and report. The folder is
/// taken as the workspace of a finished job, and its name as the test id (the layout of a local run).
/// </summary>
public static class JobReevaluator
{
    public static async Task<JudgedRun> ReevaluateAsync(string jobDir, DisaggConfig config, IHistorySource? history, RegressionContext? context,
        CancellationToken cancellationToken)
    {
        if (!Directory.Exists(jobDir))
            throw new DirectoryNotFoundException($"job folder {jobDir} does not exist; pass the workspace of a past run (the folder holding benchmark.log)");
        var workspace = JobWorkspace.Local(jobDir);
        var collected = await JobCollector.CollectAsync(workspace, config, completed: true, cancellationToken).ConfigureAwait(false);
        if (!collected.BenchmarkLogExists)
            throw new FileNotFoundException(
                $"no {string.Join(" or ", JobWorkspace.BenchmarkLogNames)} in {jobDir}; is this a job workspace of a run with enable_benchmark: true?");
        var testId = Path.GetFileName(Path.TrimEndingDirectorySeparator(jobDir));
        var regression = context ?? new RegressionContext(testId, DateTimeOffset.UtcNow, RunKind.PreMerge, GenOnly: config.Benchmark.Mode != BenchmarkMode.E2E);
        var judged = await JobJudge.JudgeAsync(config, collected, history, regression, cancellationToken).ConfigureAwait(false);
        return new JudgedRun(testId, jobDir, null, null, collected.Benchmark, judged.Problems, judged.Verdicts, [], TimeSpan.Zero)
        {
            Regression = judged.Regression,
            RegressionCases = judged.RegressionCases,
            Accuracy = judged.Accuracy,
            Warnings = judged.Warnings,
            StepTimes = judged.StepTimes,
            Blocks = judged.Blocks,
            ServersNeverLoaded = collected.ServersNeverLoaded,
        };
    }
}
