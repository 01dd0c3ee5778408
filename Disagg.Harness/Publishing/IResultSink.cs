namespace Disagg.Harness.Publishing;

/// <summary>A destination of outbox payloads. Throws <see cref="UploadException"/> when the payload was not accepted.</summary>
public interface IResultSink
{
    string Kind { get; }
    string Describe { get; }
    Task SendAsync(string payload, CancellationToken cancellationToken);
}

public sealed class OpenSearchSink(OpenSearchClient client) : IResultSink
{
    public string Kind => OutboxEntry.OpenSearch;
    public string Describe => $"OpenSearch {client.Settings}";
    public Task SendAsync(string payload, CancellationToken cancellationToken) => client.PostAsync(payload, cancellationToken);
}

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
