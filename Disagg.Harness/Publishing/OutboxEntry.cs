namespace Disagg.Harness.Publishing;

/// <summary>One pending upload: which destination, the exact payload, and the last error if a send failed.</summary>
public sealed record OutboxEntry(string Id, string Kind, string TestId, DateTimeOffset CreatedUtc, int Sends, string? LastError, string Payload)
{
    public const string OpenSearch = "opensearch";
    public const string PerfDb = "perfdb";
}
