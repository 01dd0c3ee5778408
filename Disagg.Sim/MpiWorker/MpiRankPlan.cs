using System.Globalization;
using Disagg.Sim.Common;
using YamlDotNet.RepresentationModel;

namespace Disagg.Sim.MpiWorker;

/// <summary>
/// The rank layout of <c>trtllm-serve disaggregated_mpi_worker</c>: the context servers' ranks first (instance by instance,
/// each instance tensor × pipeline × context parallel ranks), then the generation servers'. Pure.
/// </summary>
internal static class MpiRankPlan
{
    /// <summary>Bounds of a simulated layout: beyond them the file is refused, never multiplied into an overflow.</summary>
    public const int MaxInstances = 4096;
    public const int MaxWorldSize = 4096;

    public static readonly string[] RankVariables = ["SLURM_PROCID", "PMIX_RANK", "PMI_RANK", "OMPI_COMM_WORLD_RANK"];

    /// <summary>This process's rank from the launcher's environment (srun, PMIx, PMI, Open MPI), else 0.</summary>
    public static int RankFromEnvironment(Func<string, string?> env)
    {
        foreach (var name in RankVariables)
        {
            var value = env(name);
            if (string.IsNullOrEmpty(value)) continue;
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rank)
                ? rank
                : throw new ConfigException($"{name}={value} is not a rank (a non-negative integer)");
        }

        return 0;
    }

    /// <summary>The role, instance and URL of <paramref name="rank"/>; a rank beyond every instance is an error naming the layout.</summary>
    public static MpiRank For(YamlFile file, int rank)
    {
        var offset = 0L;
        foreach (var (section, role) in new[] { ("context_servers", "ctx"), ("generation_servers", "gen") })
        {
            var (urls, world) = Section(file, section);
            var ranks = (long)urls.Count * world;
            if (rank < offset + ranks)
            {
                var within = (int)(rank - offset);
                return new MpiRank(role, within / world, within % world, urls[within / world]);
            }

            offset += ranks;
        }

        throw new ConfigException($"{file.Path}: rank {rank} is beyond the {offset} rank(s) its context_servers and generation_servers need");
    }

    /// <summary>A role's section without <c>num_instances</c> and <c>urls</c>: the worker config its servers run with.</summary>
    public static YamlMappingNode WorkerConfig(YamlFile file, string role)
    {
        var section = (YamlMappingNode)YamlFile.Child(file.Root, role == "ctx" ? "context_servers" : "generation_servers")!;
        var config = new YamlMappingNode();
        foreach (var (key, value) in section.Children)
            if (key is not YamlScalarNode { Value: "num_instances" or "urls" }) config.Add(key, value);
        return config;
    }

    private static (IReadOnlyList<string> Urls, int World) Section(YamlFile file, string name)
    {
        var node = YamlFile.Child(file.Root, name);
        if (YamlFile.IsNull(node)) return ([], 1);
        if (node is not YamlMappingNode section)
            throw ConfigException.At(file.Path, node!.Start.Line, $"{name}: expected a mapping");
        var urls = YamlFile.Child(section, "urls") switch
        {
            null => [],
            YamlSequenceNode seq => seq.Children.Select(u => u is YamlScalarNode { Value: { Length: > 0 } v } ? v
                : throw ConfigException.At(file.Path, u.Start.Line, $"{name}.urls: expected host:port strings")).ToList(),
            var other => YamlFile.IsNull(other) ? [] : throw ConfigException.At(file.Path, other.Start.Line, $"{name}.urls: expected a list"),
        };
        if (urls.Count > MaxInstances) throw ConfigException.At(file.Path, section.Start.Line, $"{name}: more than {MaxInstances} urls");
        var instances = file.Int(section, "num_instances", name + ".") ?? urls.Count;
        if (instances != urls.Count)
            throw ConfigException.At(file.Path, section.Start.Line, $"{name}: num_instances is {instances} but {urls.Count} url(s) are listed");
        var world = 1L;
        foreach (var key in new[] { "tensor_parallel_size", "pipeline_parallel_size", "context_parallel_size" })
        {
            var size = file.Int(section, key, name + ".") ?? 1;
            if (size < 1 || size > MaxWorldSize)
                throw ConfigException.At(file.Path, section.Start.Line, $"{name}.{key}: {size} is outside 1..{MaxWorldSize}");
            world *= size;
            if (world > MaxWorldSize)
                throw ConfigException.At(file.Path, section.Start.Line, $"{name}: the world size exceeds {MaxWorldSize} ranks");
        }

        return (urls, (int)world);
    }
}
