namespace Disagg.Harness.Rendering;

/// <summary>
/// Node and port math of upstream's <c>allocate_gpus</c>: GEN servers first, then CTX, on one GPU cursor, so the
/// first GEN server starts on the allocation's first node; the node count is ctx nodes + gen nodes, each rounded up.
/// Two deliberate differences: a server that would straddle a node boundary (upstream's srun block distribution
/// cannot place it) starts on the next node, and the node count grows when that pushes a server further; and one port counter runs
/// over every server, because a CTX and a GEN server sharing a node must not both listen on the base port.
/// With <c>hardware.compact_packing</c> (upstream's <c>assign_server_compact</c>) no server skips to the next node, the
/// node count is every GPU rounded up once, and a server that starts mid-node and spans nodes is <see cref="ServerPlacement.Mapped"/>.
/// The disagg server port never equals a worker port.
/// </summary>
public static class Placement
{
    public const int DisaggPortOffset = 333;

    /// <param name="ctxFirst">
    /// DWDP jobs: CTX servers first, so the block-distributed MPI step's first ranks (the CTX ranks) land on them.
    /// </param>
    /// <param name="compact">hardware.compact_packing: GPU by GPU, no node boundary between servers.</param>
    public static JobPlacement Compute(int gpusPerNode, int ctxServers, int ctxWorld, int genServers, int genWorld, bool ctxFirst = false,
        bool compact = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gpusPerNode, 1);
        var servers = new List<ServerPlacement>();
        var port = 0;
        var cursor = 0;
        if (ctxFirst) Allocate("ctx", ctxServers, ctxWorld);
        Allocate("gen", genServers, genWorld);
        if (!ctxFirst) Allocate("ctx", ctxServers, ctxWorld);
        var disagg = DisaggPortOffset;
        while (servers.Any(s => s.PortOffset == disagg)) disagg++;
        var nodes = compact
            ? NodesFor(checked(ctxWorld * ctxServers + genWorld * genServers), gpusPerNode)
            : checked(NodesFor(checked(ctxWorld * ctxServers), gpusPerNode) + NodesFor(checked(genWorld * genServers), gpusPerNode));
        // A skipped node boundary can push the last server past the rounded count (two TP=6 servers on 4-GPU nodes): never a node short.
        if (servers.Count > 0) nodes = Math.Max(nodes, servers.Max(s => s.FirstNode + s.NodeCount));
        return new JobPlacement(servers, nodes, disagg, gpusPerNode);

        void Allocate(string role, int count, int world)
        {
            for (var i = 0; i < count; i++)
            {
                var localStart = cursor % gpusPerNode;
                if (!compact && localStart != 0 && localStart + world > gpusPerNode) cursor = checked(cursor + gpusPerNode - localStart);
                localStart = cursor % gpusPerNode;
                var first = cursor / gpusPerNode;
                var last = checked(cursor + world - 1) / gpusPerNode;
                var gpus = Enumerable.Range(localStart, Math.Min(world, gpusPerNode - localStart)).ToList();
                var ranks = Enumerable.Range(cursor, world).ToList();
                var mapped = localStart != 0 && last > first;
                servers.Add(new ServerPlacement(role, i, first, last - first + 1, world, Math.Min(world, gpusPerNode), gpus, port++, ranks, mapped));
                cursor = checked(cursor + world);
            }
        }
    }

    private static int NodesFor(int gpus, int gpusPerNode) => (int)(((long)gpus + gpusPerNode - 1) / gpusPerNode);
}
