namespace Disagg.Harness.Rendering;

/// <summary>
/// Node and port math of upstream's <c>allocate_gpus</c>: GEN servers first, then CTX, on one GPU cursor, so the
/// first GEN server starts on the allocation's first node; the node count is ctx nodes + gen nodes, each rounded up.
/// Two deliberate differences: a server that would straddle a node boundary (upstream's srun block distribution
/// cannot place it) starts on the next node, which the node count always leaves room for; and one port counter runs
/// over every server, because a CTX and a GEN server sharing a node must not both listen on the base port.
/// The disagg server port never equals a worker port.
/// </summary>
public static class Placement
{
    public const int DisaggPortOffset = 333;

    /// <param name="ctxFirst">
    /// DWDP jobs: CTX servers first, so the block-distributed MPI step's first ranks (the CTX ranks) land on them.
    /// </param>
    public static JobPlacement Compute(int gpusPerNode, int ctxServers, int ctxWorld, int genServers, int genWorld, bool ctxFirst = false)
    {
        var servers = new List<ServerPlacement>();
        var port = 0;
        var cursor = 0;
        if (ctxFirst) Allocate("ctx", ctxServers, ctxWorld);
        Allocate("gen", genServers, genWorld);
        if (!ctxFirst) Allocate("ctx", ctxServers, ctxWorld);
        var disagg = DisaggPortOffset;
        while (servers.Any(s => s.PortOffset == disagg)) disagg++;
        var nodes = NodesFor(ctxWorld * ctxServers, gpusPerNode) + NodesFor(genWorld * genServers, gpusPerNode);
        return new JobPlacement(servers, nodes, disagg, gpusPerNode);

        void Allocate(string role, int count, int world)
        {
            for (var i = 0; i < count; i++)
            {
                var localStart = cursor % gpusPerNode;
                if (localStart != 0 && localStart + world > gpusPerNode) cursor += gpusPerNode - localStart;
                localStart = cursor % gpusPerNode;
                var first = cursor / gpusPerNode;
                var last = (cursor + world - 1) / gpusPerNode;
                var gpus = Enumerable.Range(localStart, Math.Min(world, gpusPerNode - localStart)).ToList();
                servers.Add(new ServerPlacement(role, i, first, last - first + 1, world, Math.Min(world, gpusPerNode), gpus, port++));
                cursor += world;
            }
        }
    }

    private static int NodesFor(int gpus, int gpusPerNode) => (gpus + gpusPerNode - 1) / gpusPerNode;
}
