using Disagg.Harness.Configuration;
using Disagg.Harness.Publishing;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Pipeline;

/// <summary>
/// Publish: results.json into the test's folder, then the outbox and its uploads. Upload failures never change the perf
/// verdict: they stay in the outbox, are listed in upload-failures.txt and become a warning at most.
/// </summary>
public static class PublishStage
{
    public static async Task<PublishedResult> RunAsync(JudgedRun run, DisaggConfig config, ResultPublisher? publisher, string resultsDir,
        Action<string> log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(run.Workspace);
        var resultsFile = ResultsWriter.Write(run, config);
        if (publisher is null) return new PublishedResult(resultsFile, null, null);
        var upload = await publisher.PublishAsync(run, config, cancellationToken).ConfigureAwait(false);
        foreach (var line in upload.Lines) log(line);
        if (upload.Succeeded) return new PublishedResult(resultsFile, upload, null);
        var warning = $"{upload.Failures.Count} upload(s) failed after retries (the perf verdict is unaffected); listed in "
                      + $"{UploadFailureLog.PathIn(resultsDir)}; resend with: run_disagg_test.sh upload-pending {resultsDir}";
        log(warning);
        return new PublishedResult(resultsFile, upload, warning + Environment.NewLine + string.Join(Environment.NewLine, upload.Failures));
    }
}
