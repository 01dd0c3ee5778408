namespace Disagg.Harness.Common;

/// <summary>
/// The one list of lines that mean "this job is dead", shared by the live follower, the failure message
/// and the diagnosis summary, so they can never disagree about what an error looks like.
/// </summary>
public static class FailureSignatures
{
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
        foreach (var s in All)
            if (line.Contains(s.Text, StringComparison.Ordinal)) return s;
        return null;
    }
}
