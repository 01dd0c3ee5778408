namespace Disagg.Harness.Publishing;

/// <summary>One approved baseline: a test's results of one run, on one cluster and GPU type, approved by someone, when and why.</summary>
public sealed record BaselineApproval(string ApprovalId, string Cluster, string GpuType, string TestId, string RunId, string ApprovedBy,
    DateTimeOffset ApprovedAt, string Reason);
