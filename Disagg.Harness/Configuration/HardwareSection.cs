using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <param name="CompactPacking">
/// <c>hardware.compact_packing</c> (upstream's submit.py): servers are packed GPU by GPU with no node boundary between them,
/// the job takes ceil(all GPUs / gpus_per_node) nodes, and a server sharing or straddling nodes unevenly is started with a
/// hostfile, <c>--distribution=arbitrary</c> and a per-rank <c>gpu_map_&lt;ROLE&gt;_&lt;id&gt;.txt</c>.
/// </param>
public sealed record HardwareSection(int GpusPerNode, int NumCtxServers, int NumGenServers, bool CompactPacking = false);
