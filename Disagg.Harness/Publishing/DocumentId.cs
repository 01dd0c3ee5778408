using System.Security.Cryptography;
using System.Text;

namespace Disagg.Harness.Publishing;

/// <summary>
/// A deterministic <c>_id</c> per (run, test, job, concurrency): a retry or a later <c>upload-pending</c>
/// overwrites the same document instead of adding a second one.
/// </summary>
public static class DocumentId
{
    public static string For(string runId, string testId, string? jobId, int concurrency)
    {
        var key = string.Join('\n', "disagg-v1", runId, testId, jobId ?? "", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
    }
}
