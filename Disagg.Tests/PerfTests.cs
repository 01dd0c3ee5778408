using System.Globalization;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Publishing;

namespace Disagg.Tests;

/// <summary>The perf tests users run: one case per test-list entry, each a real SLURM job.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class PerfTests
{
    [TestCaseSource(typeof(PerfCaseSource), nameof(PerfCaseSource.Cases))]
    [CancelAfter(6 * 60 * 60 * 1000)]
    public async Task Run(string testId, string? listError, CancellationToken cancellationToken)
    {
        if (listError is not null) Assert.Fail(listError);
        var context = RunSetup.Context;

        void Log(string line)
        {
            var stamped = $"[{DateTime.UtcNow:HH:mm:ss}] {testId}: {line}";
            TestContext.Out.WriteLine(stamped);
            TestContext.Progress.WriteLine(stamped);
        }

        var entry = Harness.Catalog.TestCatalog.Discover(context.Settings.ConfigRoot).Single(e => e.TestId == testId);
        DisaggConfig config;
        try
        {
            config = ConfigLoader.Load(entry.Path);
        }
        catch (ConfigException e)
        {
            Assert.Fail($"config {entry.Path} is invalid; nothing was submitted.{Environment.NewLine}{e.Message}");
            return;
        }
        var overridden = EnvironmentOverrides.Apply(config, Environment.GetEnvironmentVariable);
        foreach (var line in overridden.Log) Log("environment override " + line);
        config = overridden.Config;

        var result = await new PerfTestRunner(context).RunAsync(config, testId, Log, cancellationToken);
        var resultFile = ResultsWriter.Write(result);
        TestContext.AddTestAttachment(resultFile, "parsed results and verdicts");
        var upload = await ResultPublisher.FromEnvironment(context.Settings.ResultsDir, Log).PublishAsync(result, config, cancellationToken);
        foreach (var line in upload.Lines) Log(line);
        foreach (var verdict in result.Verdicts) TestContext.Out.WriteLine("  " + verdict.Describe());
        TestContext.Out.WriteLine($"  duration {result.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s, workspace {result.Workspace}");

        using (Assert.EnterMultipleScope())
        {
            foreach (var problem in result.Problems) Assert.Fail(problem);
            foreach (var verdict in result.Verdicts.Where(v => !v.Passed)) Assert.Fail(verdict.Describe());
            foreach (var failure in upload.Failures) Assert.Fail(failure);
        }
    }
}
