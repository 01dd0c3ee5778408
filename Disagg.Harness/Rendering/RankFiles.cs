using System.Globalization;
using System.Text;

namespace Disagg.Harness.Rendering;

/// <summary>
/// Upstream's compact-packing files, written by the job because node names are known only there: a hostfile with one line
/// per rank (srun's <c>--distribution=arbitrary</c> places rank N on line N) and a GPU map of <c>&lt;rank&gt; &lt;host&gt; &lt;local gpu&gt;</c>
/// lines that the rank's launcher reads by <c>SLURM_PROCID</c> to set <c>CUDA_VISIBLE_DEVICES</c>.
/// </summary>
public static class RankFiles
{
    /// <summary>The bash function the calls of <see cref="AppendWrite"/> use; appended once before them.</summary>
    public const string Function = """
        # rank_files <hostfile> <gpu map> <node index>:<gpu>...: per rank, in rank order, its node's name in the hostfile
        # and "<rank> <node> <gpu>" in the GPU map (upstream's compact packing).
        rank_files() {
          local hostfile="$WORKSPACE/$1" map="$WORKSPACE/$2" rank=0 slot node; shift 2
          : > "$hostfile"; : > "$map"
          for slot in "$@"; do
            node=${NODES[${slot%%:*}]}
            echo "$node" >> "$hostfile"
            echo "$rank $node ${slot##*:}" >> "$map"
            rank=$((rank + 1))
          done
        }

        """;

    /// <summary>A <c>rank_files</c> call for <paramref name="rankGpus"/> (job-wide GPU indices, in rank order).</summary>
    public static void AppendWrite(StringBuilder sb, string hostfile, string gpuMap, IEnumerable<int> rankGpus, int gpusPerNode)
    {
        sb.Append("rank_files ").Append(hostfile).Append(' ').Append(gpuMap);
        foreach (var g in rankGpus)
            sb.Append(' ').Append((g / gpusPerNode).ToString(CultureInfo.InvariantCulture)).Append(':')
              .Append((g % gpusPerNode).ToString(CultureInfo.InvariantCulture));
        sb.AppendLine();
    }

    /// <summary>
    /// Launcher lines (upstream's start_worker.sh gpu_map branch): this rank's GPU from the map, or a named error when the map has none.
    /// </summary>
    public static void AppendGpuLookup(StringBuilder sb, string mapPath, string indent = "")
    {
        sb.Append(indent).Append("gpu_map_file=").AppendLine(Common.BashQuote.Quote(mapPath));
        sb.Append(indent).AppendLine("gpu_id=$(awk -v p=\"${SLURM_PROCID:-0}\" '$1==p {print $3; exit}' \"$gpu_map_file\")");
        sb.Append(indent).AppendLine("if [ -z \"$gpu_id\" ]; then");
        sb.Append(indent).AppendLine("  echo \"ERROR: no GPU mapping for SLURM_PROCID=${SLURM_PROCID:-0} in $gpu_map_file\" >&2");
        sb.Append(indent).AppendLine("  exit 1");
        sb.Append(indent).AppendLine("fi");
        sb.Append(indent).AppendLine("export CUDA_VISIBLE_DEVICES=$gpu_id");
    }
}
