using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Pipeline;

/// <summary>
/// One earlier submission of a test that ended in an infrastructure failure and was retried elsewhere: its job, the nodes
/// it ran on, the classification, the nodes it excluded itself, and where its files were kept (<c>&lt;test id&gt;.attempt1</c>).
/// </summary>
public sealed record AttemptRecord(int Number, string? JobId, string Nodes, FailureClassification Failure, IReadOnlyList<string> Excluded,
    string? KeptWorkspace)
{
    /// <summary><c>infra failure on node3 (NCCL timeout)</c>.</summary>
    public string Describe() => $"infra failure{(Failure.Nodes.Count > 0 ? " on " + string.Join(",", Failure.Nodes) : "")} ({Failure.Cause})";
}
