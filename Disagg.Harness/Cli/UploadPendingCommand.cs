using Disagg.Harness.Publishing;

namespace Disagg.Harness.Cli;

/// <summary>
/// <c>disagg upload-pending &lt;results-dir&gt;</c>: resends what teardown left in <c>&lt;results-dir&gt;/outbox</c>, to the
/// destinations the environment configures, chosen exactly as teardown chooses them (<see cref="UploadSinks"/>:
/// <c>OPEN_SEARCH_DB_BASE_URL</c>, <c>USE_POC_DB</c>, <c>OPEN_SEARCH_DB_CREDENTIALS_USR/_PSW</c>, <c>UPLOAD_TO_PERFDB</c>,
/// <c>DISAGG_PERFDB_CONNECTION</c>, else the SQLite Perf DB in the results folder). An accepted entry leaves the outbox; a failed one stays with its error, and
/// <c>upload-failures.txt</c> is rewritten to what still fails. A file that is not a valid entry is moved to
/// <c>outbox/quarantine/</c> first (<see cref="Outbox.Scan"/>). Exit 0 only when the outbox is empty afterwards and
/// nothing was quarantined.
/// </summary>
public static class UploadPendingCommand
{
    public static async Task<int> RunAsync(string resultsDir, IReadOnlyDictionary<string, string> env, HttpClient http, TimeProvider time,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(resultsDir))
        {
            error.WriteLine($"upload-pending: results directory '{resultsDir}' does not exist");
            return ExitCodes.BadInput;
        }
        var outbox = new Outbox(resultsDir);
        // Files that are not valid entries go to outbox/quarantine/ so the others still upload; .tmp leftovers are reported.
        var scan = outbox.Scan(quarantine: true);
        foreach (var line in scan.Quarantined) error.WriteLine("upload-pending: " + line);
        foreach (var line in scan.Leftovers) error.WriteLine("upload-pending: " + line);
        var pending = scan.Entries;
        if (pending.Count == 0)
        {
            output.WriteLine($"upload-pending: nothing pending in {outbox.Folder}");
            return Quarantined(scan, outbox, error) ?? ExitCodes.Ok;
        }
        UploadSinks selected;
        try
        {
            selected = UploadSinks.FromEnvironment(env, resultsDir, time, output.WriteLine, http);
        }
        catch (UploadException e)
        {
            error.WriteLine("upload-pending: " + e.Message);
            return ExitCodes.BadInput;
        }
        foreach (var line in selected.Skipped) output.WriteLine(line);
        output.WriteLine($"upload-pending: {pending.Count} entr{(pending.Count == 1 ? "y" : "ies")} in {outbox.Folder}");
        var report = await new OutboxUploader(selected.Sinks, time).UploadAsync(outbox, pending, cancellationToken).ConfigureAwait(false);
        UploadFailureLog.Refresh(resultsDir, report.Failed);
        foreach (var line in report.Lines) output.WriteLine(line);
        var left = outbox.Pending().Count;
        if (left == 0)
        {
            output.WriteLine("upload-pending: the outbox is empty");
            return Quarantined(scan, outbox, error) ?? ExitCodes.Ok;
        }
        error.WriteLine($"upload-pending: {left} entr{(left == 1 ? "y" : "ies")} still pending in {outbox.Folder}; " +
            "fix the destination and run upload-pending again");
        return ExitCodes.Failed;
    }

    /// <summary>Exit 1 with a summary when files were quarantined (they were not uploaded), else null.</summary>
    private static int? Quarantined(OutboxScan scan, Outbox outbox, TextWriter error)
    {
        if (scan.Quarantined.Count == 0) return null;
        error.WriteLine($"upload-pending: {scan.Quarantined.Count} file(s) quarantined in {Path.Combine(outbox.Folder, OutboxQuarantine.FolderName)}; " +
            "each has a .reason.txt; they were not uploaded");
        return ExitCodes.Failed;
    }
}
