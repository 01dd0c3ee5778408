namespace Disagg.Harness.Rendering;

/// <summary>Where one server runs: its node slice, GPUs on its first node and port offset.</summary>
public sealed record ServerPlacement(string Role, int Index, int FirstNode, int NodeCount, int Tasks, int TasksPerNode, IReadOnlyList<int> FirstNodeGpus, int PortOffset)
{
    public string Name => $"{Role}_server_{Index}";
    public string EnvPrefix => $"{Role.ToUpperInvariant()}_{Index}";
}

public sealed record JobPlacement(IReadOnlyList<ServerPlacement> Servers, int TotalNodes, int DisaggPortOffset, int GpusPerNode)
{
    public int TotalTasks => TotalNodes * GpusPerNode;
}

/// <summary>
/// Node and port math of the reference (job-layout.md §3-4): CTX servers first, then GEN, on consecutive
/// GPUs; one port counter for every server; the disagg server port never equals a worker port.
/// </summary>
public static class Placement
{
    public const int DisaggPortOffset = 333;

    public static JobPlacement Compute(int gpusPerNode, int ctxServers, int ctxWorld, int genServers, int genWorld)
    {
        var servers = new List<ServerPlacement>();
        var port = 0;
        var ctxNodes = NodesFor(ctxWorld * ctxServers, gpusPerNode);
        var genNodes = NodesFor(genWorld * genServers, gpusPerNode);
        // Roles never share a node: each role's GPU cursor starts on a fresh node, as the node counts assume.
        Allocate("ctx", ctxServers, ctxWorld, startNode: 0);
        Allocate("gen", genServers, genWorld, startNode: ctxNodes);
        var disagg = DisaggPortOffset;
        while (servers.Any(s => s.PortOffset == disagg)) disagg++;
        return new JobPlacement(servers, ctxNodes + genNodes, disagg, gpusPerNode);

        void Allocate(string role, int count, int world, int startNode)
        {
            var cursor = startNode * gpusPerNode;
            for (var i = 0; i < count; i++)
            {
                var first = cursor / gpusPerNode;
                var last = (cursor + world - 1) / gpusPerNode;
                var localStart = cursor % gpusPerNode;
                var gpus = Enumerable.Range(localStart, Math.Min(world, gpusPerNode - localStart)).ToList();
                servers.Add(new ServerPlacement(role, i, first, last - first + 1, world, Math.Min(world, gpusPerNode), gpus, port++));
                cursor += world;
            }
        }
    }

    private static int NodesFor(int gpus, int gpusPerNode) => (gpus + gpusPerNode - 1) / gpusPerNode;
}
