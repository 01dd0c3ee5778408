namespace Disagg.Harness.Cluster;

/// <summary>What a sweep found and how the jobs ended: state per job as SLURM last showed it ("gone" once purged).</summary>
public sealed record SweepResult(IReadOnlyList<string> Found, IReadOnlyDictionary<string, string> FinalStates, IReadOnlyList<string> StillActive)
{
    public bool AllEnded => StillActive.Count == 0;
}
