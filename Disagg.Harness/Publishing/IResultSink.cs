namespace Disagg.Harness.Publishing;

/// <summary>A destination of outbox payloads. Throws <see cref="UploadException"/> when the payload was not accepted.</summary>
public interface IResultSink
{
    string Kind { get; }
    string Describe { get; }
    Task SendAsync(string payload, CancellationToken cancellationToken);
}
