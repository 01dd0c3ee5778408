using System.Globalization;
using Disagg.Harness.Pipeline;

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
        var result = await RunSetup.Pipeline.RunAsync(perfCase, Live(perfCase.TestId), cancellationToken);
        foreach (var (path, description) in result.Attachments()) TestContext.AddTestAttachment(path, description);
        foreach (var verdict in result.Run.Verdicts) TestContext.Out.WriteLine("  " + verdict.Describe());
        foreach (var note in result.Run.Warnings) TestContext.Out.WriteLine("  warning: " + note);
        foreach (var stage in result.Stages) TestContext.Out.WriteLine("  " + stage);
        if (!result.Passed) Assert.Fail(result.Report.Message);
        TestContext.Out.WriteLine(result.Report.Message);
        if (result.UploadWarning is { } warning) Assert.Warn(warning);
    }

    /// <summary>One line per phase change with wall time and time since the test started, live on the console and in the report.</summary>
    private static Action<string> Live(string testId)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        return line =>
        {
            var stamped = $"[{DateTime.UtcNow:HH:mm:ss} +{started.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s] {testId}: {line}";
            TestContext.Out.WriteLine(stamped);
            TestContext.Progress.WriteLine(stamped);
        };
    }
}
