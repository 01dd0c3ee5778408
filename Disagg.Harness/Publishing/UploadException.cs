namespace Disagg.Harness.Publishing;

/// <summary>
/// An upload that did not succeed. <see cref="Category"/> follows the old client's log categories:
/// config, type_check, serialize, non_retryable, transient, network, exhausted. Never holds credentials.
/// </summary>
public sealed class UploadException(string category, int? status, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string Category { get; } = category;
    public int? Status { get; } = status;
}
