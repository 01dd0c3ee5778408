using System.Globalization;
using Disagg.Harness.Pipeline;
using Disagg.Harness.Reporting;

namespace Disagg.Tests;

/// <summary>The perf tests users run: one case per test-list entry, each a real SLURM job run by <see cref="PerfTestPipeline"/>.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class PerfTests
{
    [TestCaseSource(typeof(PerfCaseSource), nameof(PerfCaseSource.Cases))]
    [CancelAfter(6 * 60 * 60 * 1000)]
    public async Task Run(PerfCase perfCase, CancellationToken cancellationToken)
    {
        RunSetup.Progress.Running(perfCase.TestId);
        var outcome = RunProgress.Outcome.Failed;
        try
        {
            var result = await RunSetup.Pipeline.RunAsync(perfCase, Live(perfCase.TestId), cancellationToken);
            outcome = result.Passed ? RunProgress.Outcome.Passed : RunProgress.Outcome.Failed;
            foreach (var (path, description) in result.Attachments()) TestContext.AddTestAttachment(path, description);
            var notes = result.Run.Warnings.Select(n => "  warning: " + n).Concat(result.Stages.Select(st => "  " + st));
            // A failed test's output would be printed twice (adapter echo, then the console logger's failure block): the
            // failure message carries the table of failed checks, the warnings and the stages instead, once.
            // The failure class and any infrastructure retry go into the verdict (TRX/JUnit message or output), never only the log.
            var classes = new List<string>();
            if (result.Run.Failure is { } failure) classes.Add("failure class: " + failure.Describe());
            if (result.AttemptNote is { } attempts) classes.Add("attempts: " + attempts);
            if (perfCase.Options.StaleWaiver is { } stale) classes.Add("stale waiver: " + stale);
            if (!result.Passed) Assert.Fail(string.Join(Environment.NewLine, [result.Report.Message.TrimEnd(), .. classes, "stages:", .. notes]));
            foreach (var line in classes) TestContext.Out.WriteLine(line);
            foreach (var verdict in result.Run.Verdicts) TestContext.Out.WriteLine("  " + verdict.Describe());
            foreach (var line in notes) TestContext.Out.WriteLine(line);
            TestContext.Out.WriteLine(result.Report.Message);
            if (result.UploadWarning is { } warning) Assert.Warn(warning);
        }
        finally
        {
            RunSetup.Progress.Finished(perfCase.TestId, outcome);
        }
    }

    /// <summary>
    /// One line per phase change with wall time and time since the test started, live on the console. Only to Progress:
    /// the adapter echoes everything written to TestContext.Out again when the test ends, so writing both printed each
    /// line twice. The pipeline keeps the lines for the diagnosis package's runner.log.
    /// </summary>
    private static Action<string> Live(string testId)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        return line => TestContext.Progress.WriteLine(
            $"[{DateTime.UtcNow:HH:mm:ss} +{started.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s] {testId}: {line}");
    }
}
