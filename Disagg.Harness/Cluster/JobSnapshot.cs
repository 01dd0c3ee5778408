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
