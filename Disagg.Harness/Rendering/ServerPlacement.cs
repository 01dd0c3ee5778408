namespace Disagg.Harness.Rendering;

/// <summary>Where one server runs: its node slice, GPUs on its first node and port offset.</summary>
/// <param name="RankGpus">Each rank's GPU as a job-wide index (node = index / gpus_per_node, local GPU = index % gpus_per_node).</param>
/// <param name="Mapped">
/// The ranks cannot be placed by srun's block distribution (compact packing: the server starts mid-node and spans several nodes);
/// the job starts it with a hostfile, <c>--distribution=arbitrary</c> and a per-rank GPU map, as upstream's compact packing does.
/// </param>
public sealed record ServerPlacement(string Role, int Index, int FirstNode, int NodeCount,
    int Tasks, int TasksPerNode, IReadOnlyList<int> FirstNodeGpus, int PortOffset, IReadOnlyList<int> RankGpus, bool Mapped = false)
{
    public string Name => $"{Role}_server_{Index}";
    public string EnvPrefix => $"{Role.ToUpperInvariant()}_{Index}";
}
