namespace Disagg.Harness.Rendering;

public sealed record JobPlacement(IReadOnlyList<ServerPlacement> Servers, int TotalNodes, int DisaggPortOffset, int GpusPerNode)
{
    public int TotalTasks => TotalNodes * GpusPerNode;

    /// <summary>The node of GEN_0's first rank: the disagg server, the benchmark client and lm_eval run there, as upstream's do.</summary>
    public int FrontNode => Servers.First(s => s.Role == "gen").FirstNode;
}
