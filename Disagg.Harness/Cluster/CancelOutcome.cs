namespace Disagg.Harness.Cluster;

/// <summary>How a set of jobs ended after <see cref="JobCanceller"/>: the last state SLURM showed per job ("gone" once purged).</summary>
public sealed record CancelOutcome(IReadOnlyList<string> Jobs, IReadOnlyDictionary<string, string> FinalStates, IReadOnlyList<string> StillActive)
{
    public bool AllEnded => StillActive.Count == 0;
}
