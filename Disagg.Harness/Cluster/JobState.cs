namespace Disagg.Harness.Cluster;

/// <summary>A job as SLURM reported it at one moment.</summary>
public sealed record JobSnapshot(string JobId, string State, string Reason, string Nodes)
{
    private static readonly HashSet<string> Terminal = new(StringComparer.Ordinal)
    {
        "COMPLETED", "FAILED", "TIMEOUT", "CANCELLED", "NODE_FAIL", "PREEMPTED", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "SPECIAL_EXIT",
    };

    public bool IsTerminal => Terminal.Contains(BaseState);
    public bool IsPending => BaseState is "PENDING" or "REQUEUED" or "REQUEUE_HOLD" or "SUSPENDED";
    public bool IsRunning => BaseState is "RUNNING" or "CONFIGURING" or "COMPLETING" or "STAGE_OUT" or "RESIZING";

    /// <summary>"CANCELLED by 0" → "CANCELLED".</summary>
    public string BaseState => State.Split(' ')[0];
}

/// <summary>The final word on a job: state, exit codes and reason, as read after it ended.</summary>
public sealed record JobOutcome(string JobId, string State, string ExitCode, string DerivedExitCode, string Reason, string Nodes, string RawRecord)
{
    public bool Completed => State == "COMPLETED" && ExitCode == "0:0";

    public string Describe() =>
        $"job {JobId} ended {State} (exit code {ExitCode}, derived {DerivedExitCode}, reason {Reason}) on {(Nodes.Length > 0 ? Nodes : "no nodes")}";
}
