using System.Globalization;
using Disagg.Harness.Configuration;
using Disagg.Harness.Diagnostics;
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

        var started = System.Diagnostics.Stopwatch.StartNew();
        // One line per phase change with wall time and time since the test started, live on the console.
        void Log(string line)
        {
            var stamped = $"[{DateTime.UtcNow:HH:mm:ss} +{started.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s] {testId}: {line}";
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

        // run_disagg_test.sh --dry-run (DISAGG_DRY_RUN=1): render the job into the results folder, submit nothing.
        if (Harness.Cli.DryRun.Enabled(Environment.GetEnvironmentVariable))
        {
            Log(Harness.Cli.DryRun.Render(context, config, testId));
            return;
        }

        // Upload settings are checked before anything is submitted (UPLOAD_TO_PERFDB=maybe is a configuration error).
        ResultPublisher publisher;
        try { publisher = ResultPublisher.FromEnvironment(context.Settings.ResultsDir, Log); }
        catch (UploadException e) { Assert.Fail($"upload configuration is invalid; nothing was submitted. {e.Message}"); return; }

        // A failed test gets its failure-diagnosis package (the job's own, or one the runner builds) attached.
        async Task AttachDiagnosisAsync(PerfTestRunner r, TestRunResult? res, Exception? error)
        {
            if (await DiagnosisPackager.FindOrBuildAsync(context, r, res, error, Log, CancellationToken.None) is { } archive)
                TestContext.AddTestAttachment(archive, "failure-diagnosis package: open summary.txt first");
        }
        var listTimeout = TestContext.CurrentContext.Test.Properties.Get("TimeoutMinutes") is string minutes
            ? TimeSpan.FromMinutes(double.Parse(minutes, CultureInfo.InvariantCulture))
            : (TimeSpan?)null;
        var runner = new PerfTestRunner(context);
        TestRunResult result;
        try { result = await runner.RunAsync(config, testId, new PerfTestRunner.RunOptions(listTimeout), Log, cancellationToken); }
        catch (Exception e) { await AttachDiagnosisAsync(runner, null, e); throw; }
        if (!result.Passed) await AttachDiagnosisAsync(runner, result, null);
        var resultFile = ResultsWriter.Write(result, config);
        TestContext.AddTestAttachment(resultFile, "parsed results and verdicts");
        var upload = await publisher.PublishAsync(result, config, cancellationToken);
        foreach (var line in upload.Lines) Log(line);
        // Upload failures never change the perf verdict: kept in the outbox, listed for run_disagg_test.sh, a warning at most.
        var uploadWarning = $"{upload.Failures.Count} upload(s) failed after retries (the perf verdict is unaffected); listed in {UploadFailureLog.PathIn(context.Settings.ResultsDir)}; resend with: run_disagg_test.sh upload-pending {context.Settings.ResultsDir}";
        if (!upload.Succeeded) Log(uploadWarning);
        foreach (var verdict in result.Verdicts) TestContext.Out.WriteLine("  " + verdict.Describe());
        TestContext.Out.WriteLine($"  duration {result.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s, workspace {result.Workspace}");
        // One report for every failing bound, regression, problem and accuracy check; warnings are shown even when passing.
        var report = result.Report;
        foreach (var warning in result.Warnings) TestContext.Out.WriteLine("  warning: " + warning);
        if (report.Passed) TestContext.Out.WriteLine(report.Message);

        if (!report.Passed) Assert.Fail(report.Message);
        if (!upload.Succeeded && report.Passed) Assert.Warn(uploadWarning + Environment.NewLine + string.Join(Environment.NewLine, upload.Failures));
    }
}
