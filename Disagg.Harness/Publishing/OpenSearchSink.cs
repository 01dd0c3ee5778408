namespace Disagg.Harness.Publishing;

public sealed class OpenSearchSink(OpenSearchClient client) : IResultSink
{
    public string Kind => OutboxEntry.OpenSearch;
    public string Describe => $"OpenSearch {client.Settings}";
    public Task SendAsync(string payload, CancellationToken cancellationToken) => client.PostAsync(payload, cancellationToken);
}
