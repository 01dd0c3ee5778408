using Disagg.Harness.Publishing;

namespace Disagg.Harness.Cli;

/// <summary>
/// <c>disagg upload-pending &lt;results-dir&gt;</c>: resends what teardown left in <c>&lt;results-dir&gt;/outbox</c>, to the
/// destinations the environment configures, chosen exactly as teardown chooses them (<see cref="UploadSinks"/>:
/// <c>OPEN_SEARCH_DB_BASE_URL</c>, <c>USE_POC_DB</c>, <c>OPEN_SEARCH_DB_CREDENTIALS_USR/_PSW</c>, <c>UPLOAD_TO_PERFDB</c>,
/// <c>DISAGG_PERFDB_CONNECTION</c>, else the SQLite Perf DB in the results folder). An accepted entry leaves the outbox; a failed one stays with its error, and
/// <c>upload-failures.txt</c> is rewritten to what still fails. Exit 0 only when the outbox is empty afterwards.
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
        IReadOnlyList<OutboxEntry> pending;
        try
        {
            pending = outbox.Pending();
        }
        catch (InvalidDataException e)
        {
            error.WriteLine("upload-pending: " + e.Message);
            return ExitCodes.BadInput;
        }
        if (pending.Count == 0)
        {
            output.WriteLine($"upload-pending: nothing pending in {outbox.Folder}");
            return ExitCodes.Ok;
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
            return ExitCodes.Ok;
        }
        error.WriteLine($"upload-pending: {left} entr{(left == 1 ? "y" : "ies")} still pending in {outbox.Folder}; fix the destination and run upload-pending again");
        return ExitCodes.Failed;
    }

}
