namespace Disagg.Harness.Publishing;

public sealed class PerfDbSink(PerfDbWriter writer) : IResultSink
{
    public string Kind => OutboxEntry.PerfDb;
    public string Describe => $"Perf DB {writer.Display}";

    public Task SendAsync(string payload, CancellationToken cancellationToken)
    {
        var run = System.Text.Json.JsonSerializer.Deserialize<PerfDbRun>(payload)
            ?? throw new UploadException("serialize", null, "Perf DB outbox payload is empty");
        return writer.UpsertAsync(run, cancellationToken);
    }
}
