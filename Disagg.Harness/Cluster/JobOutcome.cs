namespace Disagg.Harness.Cluster;

/// <summary>The final word on a job: state, exit codes and reason, as read after it ended.</summary>
public sealed record JobOutcome(string JobId, string State, string ExitCode, string DerivedExitCode, string Reason, string Nodes, string RawRecord)
{
    public bool Completed => Kind == JobOutcomeKind.Completed && ExitCode == "0:0";

    /// <summary>"CANCELLED by 1000" → "1000": who cancelled, where SLURM says.</summary>
    public string? CancelledBy => State.StartsWith("CANCELLED by ", StringComparison.Ordinal) ? State["CANCELLED by ".Length..] : null;

    public JobOutcomeKind Kind => State.Split(' ')[0] switch
    {
        "COMPLETED" => JobOutcomeKind.Completed,
        "FAILED" => JobOutcomeKind.Failed,
        "TIMEOUT" => JobOutcomeKind.TimedOut,
        "CANCELLED" => JobOutcomeKind.Cancelled,
        "NODE_FAIL" => JobOutcomeKind.NodeFailure,
        "PREEMPTED" => JobOutcomeKind.Preempted,
        "OUT_OF_MEMORY" => JobOutcomeKind.OutOfMemory,
        "BOOT_FAIL" => JobOutcomeKind.BootFailure,
        "DEADLINE" => JobOutcomeKind.Deadline,
        _ => JobOutcomeKind.Other,
    };

    public string Describe()
    {
        var what = Kind switch
        {
            JobOutcomeKind.TimedOut => "timed out (hit its time limit)",
            JobOutcomeKind.Cancelled => CancelledBy is { } uid ? $"was cancelled by uid {uid}" : "was cancelled",
            JobOutcomeKind.NodeFailure => "lost a node (NODE_FAIL)",
            JobOutcomeKind.Preempted => "was preempted",
            JobOutcomeKind.OutOfMemory => "ran out of memory",
            _ => "ended " + State,
        };
        return $"job {JobId} {what}: state {State}, exit code {ExitCode}, derived {DerivedExitCode}, reason {Reason}, "
            + $"on {(Nodes.Length > 0 ? Nodes : "no nodes")}";
    }
}
