using System.Text;

namespace Disagg.Harness.Publishing;

/// <summary>One upload that still failed after its retries; its payload is kept at <see cref="OutboxPath"/>.</summary>
public sealed record UploadFailure(string TestId, string Destination, string Reason, string OutboxPath)
{
    /// <summary>One line of <see cref="UploadFailureLog.FileName"/>: test id, destination, reason, outbox path, tab-separated.</summary>
    public string ToLine() => string.Join('\t', Clean(TestId), Clean(Destination), Clean(Reason), Clean(OutboxPath));

    public static UploadFailure? Parse(string line) =>
        line.Split('\t') is [var test, var destination, var reason, var path] ? new UploadFailure(test, destination, reason, path) : null;

    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
