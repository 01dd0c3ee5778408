namespace Disagg.Harness.Publishing;

/// <summary>
/// Sends outbox entries to their sinks: an accepted entry is removed, a failed one stays with its error.
/// <see cref="UploadPendingAsync"/> is <c>upload-pending &lt;results-dir&gt;</c>: it quarantines files that are not
/// valid entries (<see cref="Outbox.Scan"/>), sends the rest and brings <see cref="UploadFailureLog"/> up to date.
/// </summary>
public sealed class OutboxUploader(IReadOnlyList<IResultSink> sinks, TimeProvider time)
{
    public async Task<UploadReport> UploadPendingAsync(string resultsDir, CancellationToken cancellationToken)
    {
        var outbox = new Outbox(resultsDir);
        var scan = outbox.Scan(quarantine: true);
        var report = await UploadAsync(outbox, scan.Entries, cancellationToken).ConfigureAwait(false);
        UploadFailureLog.Refresh(resultsDir, report.Failed);
        return report with { Lines = [.. scan.Quarantined, .. scan.Leftovers, .. report.Lines], Quarantined = scan.Quarantined, Leftovers = scan.Leftovers };
    }

    public async Task<UploadReport> UploadAsync(Outbox outbox, IEnumerable<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var failures = new List<string>();
        var failed = new List<UploadFailure>();
        foreach (var entry in entries)
        {
            var sink = sinks.FirstOrDefault(s => s.Kind == entry.Kind);
            var path = outbox.PathOf(entry.Id);
            if (sink is null)
            {
                lines.Add($"upload {entry.Kind} for {entry.TestId}: skipped, destination not configured; kept {path}");
                continue;
            }
            try
            {
                await sink.SendAsync(entry.Payload, cancellationToken);
                outbox.Remove(entry.Id);
                lines.Add($"upload {entry.Kind} for {entry.TestId}: done ({sink.Describe})");
            }
            catch (UploadException e)
            {
                outbox.Write(entry with { Sends = entry.Sends + 1, LastError = $"{time.GetUtcNow():O} {e.Message}" });
                var message = $"upload {entry.Kind} for {entry.TestId} failed: {e.Message}. " +
                    $"The payload is kept in {path}; resend it later with upload-pending {Path.GetDirectoryName(outbox.Folder)}";
                lines.Add(message);
                failures.Add(message);
                failed.Add(new UploadFailure(entry.TestId, sink.Describe, e.Message, path));
            }
        }
        return new UploadReport(lines, failures) { Failed = failed };
    }
}
