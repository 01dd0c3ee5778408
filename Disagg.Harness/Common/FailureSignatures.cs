namespace Disagg.Harness.Common;

/// <summary>
/// The one table of lines that mean "this job is dead", shared by the live follower, the failure message, the diagnosis
/// summary and the failure classifier, so they can never disagree about what an error looks like or whose fault it is.
/// <see cref="Infrastructure"/> lines are the cluster's fault (each modelled on a line quoted in the public issue named as
/// its origin); <see cref="All"/> lines are the product's unless an infrastructure line explains them.
/// </summary>
public static class FailureSignatures
{
    /// <summary>
    /// Lines that blame the cluster: transport (NCCL, UCX), SLURM step or node trouble, GPU hardware, filesystems. Checked
    /// before <see cref="All"/>, so that <c>RuntimeError: NCCL error ... remote process exited</c> is a transport error.
    /// </summary>
    public static readonly IReadOnlyList<FailureSignature> Infrastructure =
    [
        new("NCCL remote error", "remote process exited or there was a network error", FailureClass.Infrastructure,
            "https://github.com/NVIDIA/nccl/issues/2076"),
        new("NCCL system error", "unhandled system error", FailureClass.Infrastructure, "https://github.com/NVIDIA/nccl/issues/1657"),
        new("NCCL timeout", "Watchdog caught collective operation timeout", FailureClass.Infrastructure,
            "https://github.com/pytorch/pytorch/issues/118369"),
        new("NCCL IB completion error", "NET/IB : Got completion from peer", FailureClass.Infrastructure,
            "https://github.com/NVIDIA/nccl-tests/issues/252"),
        new("UCX endpoint timeout", "transport error: Endpoint timeout", FailureClass.Infrastructure, "https://github.com/openucx/ucx/issues/3087"),
        new("UCX transport retry exceeded", "Transport retry count exceeded", FailureClass.Infrastructure,
            "https://github.com/rapidsai/ucx-py/issues/131"),
        new("SLURM step creation failure", "Unable to create step for job", FailureClass.Infrastructure,
            "https://github.com/eth-cscs/DLA-Future/issues/337"),
        new("SLURM node failure", "DUE TO NODE FAILURE", FailureClass.Infrastructure, "https://github.com/ZettaAI/zetta_utils/issues/671"),
        new("GPU Xid", "NVRM: Xid (", FailureClass.Infrastructure, "https://github.com/NVIDIA/NVSentinel/issues/155"),
        new("GPU fallen off the bus", "fallen off the bus", FailureClass.Infrastructure, "https://github.com/NVIDIA/open-gpu-kernel-modules/issues/507"),
        new("GPU uncorrectable ECC error", "uncorrectable ECC error encountered", FailureClass.Infrastructure,
            "https://github.com/vllm-project/vllm/issues/5222"),
        new("stale file handle", "Stale file handle", FailureClass.Infrastructure, "https://github.com/huggingface/transformers/issues/9732"),
    ];

    public static readonly IReadOnlyList<FailureSignature> All =
    [
        new("python traceback", "Traceback (most recent call last)"),
        new("runtime error", "RuntimeError:"),
        new("CUDA out of memory", "CUDA out of memory"),
        new("out of memory", "OutOfMemoryError"),
        new("port in use", "Failed to bind socket"),
        new("value error", "ValueError:"),
        new("timeout error", "TimeoutError:"),
        new("srun error", "srun: error:"),
        new("slurm step killed", "slurmstepd: error:"),
        new("job script error", "Error: "),
    ];

    /// <summary>
    /// What srun and slurmstepd print when the job itself stops its steps (after a failure it already named,
    /// or at the end): consequences, never causes, so they must not become "the first error".
    /// </summary>
    public static readonly IReadOnlyList<string> TeardownNoise =
    [
        "Job step aborted: Waiting up to",
        "CANCELLED AT",
        "Terminating StepId=",
        ": Killed",
        "Force Terminated StepId=",
    ];

    public static FailureSignature? Match(string line)
    {
        foreach (var noise in TeardownNoise)
            if (line.Contains(noise, StringComparison.Ordinal)) return null;
        return MatchInfrastructure(line) ?? MatchProduct(line);
    }

    /// <summary>
    /// The infrastructure signature of a line, teardown lines included: <c>slurmstepd: error: *** JOB 7 ON node3 CANCELLED
    /// AT ... DUE TO NODE FAILURE ***</c> is teardown to the follower but names the cause to the classifier.
    /// </summary>
    public static FailureSignature? MatchInfrastructure(string line)
    {
        foreach (var s in Infrastructure)
            if (line.Contains(s.Text, StringComparison.Ordinal)) return s;
        return null;
    }

    private static FailureSignature? MatchProduct(string line)
    {
        foreach (var s in All)
            if (line.Contains(s.Text, StringComparison.Ordinal)) return s;
        return null;
    }
}
