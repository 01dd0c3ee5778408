namespace Disagg.Harness.Publishing;

/// <summary>One infrastructure failure charged to one node: which run, test and job, on which cluster, the cause and the log line.</summary>
public sealed record NodeFailure(string RunId, string TestId, string JobId, string Node, string Cluster, string Cause, string Evidence,
    DateTimeOffset At);
