using System.Globalization;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Rendering;

/// <summary>
/// A DWDP job (the ctx worker config has <c>dwdp_config</c>): instead of one step per server, one MPI step runs every CTX
/// rank (first) and GEN rank (after) with the profile's <c>dwdp_worker</c> command over a generated
/// <c>mpi_worker_config.yaml</c> (model, backend, <c>max_retries: 100</c>, and each role's worker config with its
/// <c>num_instances</c> and <c>urls</c>); each rank picks its role's environment by its rank. The disagg server, the
/// client and lm_eval run as in any job. When the CTX GPUs fill whole nodes and the ranks' GPUs follow each other without a
/// gap, the step uses srun's block distribution (upstream's perf-optimal path); otherwise (upstream: CTX GPUs not a multiple of
/// gpus_per_node) the job writes <c>hostfile_mpi_worker.txt</c> and <c>gpu_map_mpi_worker.txt</c>, starts the step with
/// <c>SLURM_HOSTFILE</c> and <c>--distribution=arbitrary</c>, and each rank takes its GPU from the map by <c>SLURM_PROCID</c>.
/// </summary>
public static class DwdpJob
{
    public static bool Applies(DisaggConfig config) => config.Ctx.DwdpSize is not null;

    /// <summary>
    /// start_dwdp_workers.sh: the rank's role and environment, the path and UCX pins, then the worker (no GPU mask:
    /// peers must stay visible).
    /// </summary>
    public static string Launcher(DisaggConfig config, ClusterProfile profile, RenderContext context, JobPlacement placement)
    {
        var template = profile.Commands.DwdpWorker ?? throw Error(config, "worker_config.ctx.dwdp_config",
            $"the ctx worker has dwdp_config but cluster profile {profile.SourceFile} has no commands.dwdp_worker " +
            "(e.g. \"{nsys}{numactl}trtllm-serve disaggregated_mpi_worker -c {config}\")");
        var ctxGpus = CtxGpus(placement);
        var sb = LauncherScripts.Header($"DWDP workers of test {context.TestId} (ranks below {ctxGpus} are CTX, the rest GEN)",
            "usage: (no arguments; every rank of the MPI step runs it)");
        sb.Append("if [ \"${SLURM_PROCID:-0}\" -lt ").Append(ctxGpus.ToString(CultureInfo.InvariantCulture)).AppendLine(" ]; then");
        sb.AppendLine("  role=CTX");
        AppendRoleExports(sb, config, "ctx");
        sb.AppendLine("else");
        sb.AppendLine("  role=GEN");
        AppendRoleExports(sb, config, "gen");
        sb.AppendLine("fi");
        if (Arbitrary(placement)) RankFiles.AppendGpuLookup(sb, Path.Combine(context.Workspace, JobFiles.MpiWorkerGpuMap));
        ContainerEnv.AppendPathPrepends(sb);
        ContainerEnv.AppendUcxPins(sb, clearNetDevices: true);
        sb.AppendLine("echo \"SLURM_PROCID: ${SLURM_PROCID:-0}, hostname: $(hostname), node: ${SLURMD_NODENAME:-unknown}, role: $role\"");
        var configFile = Path.Combine(context.Workspace, JobFiles.MpiWorkerConfig);
        var nsys = config.Profiling.NsysOn
            ? "nsys profile -o " + BashQuote.Quote(Path.Combine(context.Workspace, "nsys_worker_proc_")) + "\"${role}_${SLURM_PROCID:-0}\"" +
              " -f true -t cuda,nvtx,python-gil -c cudaProfilerApi --cuda-graph-trace node --capture-range-end=stop --gpu-metrics-devices=none "
            : "";
        var words = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["config"] = BashQuote.Quote(configFile),
            ["model_path"] = BashQuote.Quote(config.Environment.ModelPath),
        };
        sb.Append("exec ").AppendLine(LauncherScripts.Wrap(template, words, nsys, LauncherScripts.Numactl(config)));
        return sb.ToString();
    }

    /// <summary>Writes mpi_worker_config.yaml at job time (the node names are known only then) and starts the one worker step.</summary>
    public static void AppendSteps(StringBuilder sb, DisaggConfig config, ClusterProfile profile, RenderContext context, JobPlacement placement,
        string container)
    {
        var ctx = placement.Servers.Where(s => s.Role == "ctx").ToList();
        var gen = placement.Servers.Where(s => s.Role == "gen").ToList();
        var file = "\"$WORKSPACE/" + JobFiles.MpiWorkerConfig + "\"";
        sb.AppendLine("{");
        var head = new YamlMappingNode
        {
            { "model", string.IsNullOrEmpty(config.Environment.ModelPath) ? config.Metadata.ModelName : config.Environment.ModelPath },
            { "backend", "pytorch" },
            { "max_retries", "100" },
        };
        AppendQuoted(sb, config, WorkerYaml.Serialize(head));
        AppendSection(sb, config, "context_servers", config.Ctx.Node, ctx);
        AppendSection(sb, config, "generation_servers", config.Gen.Node, gen);
        sb.AppendLine("printf 'hostname: %s\\nport: %s\\n' \"$DISAGG_HOST\" \"$DISAGG_PORT\"");
        sb.Append("} > ").AppendLine(file);
        foreach (var s in placement.Servers)
            sb.Append("add_worker ").Append(s.Name).Append(" \"$").Append(s.EnvPrefix).Append("_HOST\" \"$").Append(s.EnvPrefix).AppendLine("_PORT\"");
        var tasks = placement.Servers.Sum(s => s.Tasks);
        if (Arbitrary(placement))
        {
            // Upstream's arbitrary path: CTX and GEN ranks share a node, which srun's block distribution cannot express.
            sb.Append(RankFiles.Function);
            RankFiles.AppendWrite(sb, JobFiles.MpiWorkerHostfile, JobFiles.MpiWorkerGpuMap, placement.Servers.SelectMany(s => s.RankGpus),
                placement.GpusPerNode);
            sb.Append("SLURM_HOSTFILE=\"$WORKSPACE/").Append(JobFiles.MpiWorkerHostfile).Append("\" start_step dwdp_workers ").Append(JobFiles.DwdpLog)
              .Append(" -l --ntasks=").Append(tasks.ToString(CultureInfo.InvariantCulture)).Append(" --distribution=arbitrary")
              .Append(" --overlap --kill-on-bad-exit=1 --mpi=").Append(profile.Mpi).Append(container)
              .Append(" bash \"$WORKSPACE/").Append(JobFiles.DwdpLauncher).AppendLine("\"");
            return;
        }
        var nodes = string.Join(',', placement.Servers.Select(s => $"${s.EnvPrefix}_NODES"));
        var nodeCount = placement.Servers.Max(s => s.FirstNode + s.NodeCount) - placement.Servers.Min(s => s.FirstNode);
        // One node list for the step; scontrol folds the repeats of nodes shared by several servers of a role.
        sb.Append("DWDP_NODES=$(scontrol show hostnames \"").Append(nodes).AppendLine("\" | awk '!seen[$0]++' | paste -sd,)");
        sb.Append("start_step dwdp_workers ").Append(JobFiles.DwdpLog)
          .Append(" -l --nodelist=\"$DWDP_NODES\" -N ").Append(nodeCount.ToString(CultureInfo.InvariantCulture))
          .Append(" --ntasks=").Append(tasks.ToString(CultureInfo.InvariantCulture))
          .Append(" --ntasks-per-node=").Append(placement.GpusPerNode.ToString(CultureInfo.InvariantCulture))
          .Append(" --overlap --kill-on-bad-exit=1 --mpi=").Append(profile.Mpi).Append(container)
          .Append(" bash \"$WORKSPACE/").Append(JobFiles.DwdpLauncher).AppendLine("\"");
    }

    /// <summary>The ranks of the CTX servers: ranks below it are CTX.</summary>
    private static int CtxGpus(JobPlacement placement) => placement.Servers.Where(s => s.Role == "ctx").Sum(s => s.Tasks);

    /// <summary>
    /// Upstream's rule (CTX GPUs not a multiple of gpus_per_node), and any layout block distribution would misplace: a server
    /// spanning nodes unevenly, or a gap between one rank's GPU and the next.
    /// </summary>
    public static bool Arbitrary(JobPlacement placement) =>
        CtxGpus(placement) % placement.GpusPerNode != 0 || placement.Servers.Any(s => s.Mapped)
        || !placement.Servers.SelectMany(s => s.RankGpus).Select((g, i) => g == i).All(x => x);

    private static void AppendRoleExports(StringBuilder sb, DisaggConfig config, string role)
    {
        var env = new List<KeyValuePair<string, string>>(config.Environment.WorkerEnv);
        env.AddRange(role == "ctx" ? config.Environment.CtxWorkerEnv : config.Environment.GenWorkerEnv);
        env.AddRange(ModeEnv.ForWorker(config, role));
        env.AddRange(ModeEnv.ForProfiling(config, role));
        LauncherScripts.AppendExports(sb, env, config.SourceFile, indent: "  ");
    }

    /// <summary>A role's section: its worker config and num_instances as written, then its urls from the job's host and port variables.</summary>
    private static void AppendSection(StringBuilder sb, DisaggConfig config, string name, YamlMappingNode worker, IReadOnlyList<ServerPlacement> servers)
    {
        var section = new YamlMappingNode();
        foreach (var (key, value) in worker.Children)
            if (key is not YamlScalarNode { Value: "num_instances" or "urls" }) section.Add(key, value);
        section.Add("num_instances", servers.Count.ToString(CultureInfo.InvariantCulture));
        AppendQuoted(sb, config, WorkerYaml.Serialize(new YamlMappingNode { { name, section } }));
        sb.AppendLine(servers.Count == 0 ? "echo '  urls: []'" : "echo '  urls:'");
        foreach (var s in servers) sb.Append("printf '  - %s:%s\\n' \"$").Append(s.EnvPrefix).Append("_HOST\" \"$").Append(s.EnvPrefix).AppendLine("_PORT\"");
    }

    /// <summary>Text that must reach the file as written: a quoted here-document expands nothing.</summary>
    private static void AppendQuoted(StringBuilder sb, DisaggConfig config, string text)
    {
        const string marker = "DISAGG_DWDP_EOF";
        if (text.Split('\n').Contains(marker))
            throw Error(config, "worker_config", $"a worker config line reads exactly '{marker}', which would end the generated file early");
        sb.Append("cat <<'").Append(marker).AppendLine("'");
        sb.Append(text.EndsWith('\n') ? text : text + "\n");
        sb.AppendLine(marker);
    }

    private static ConfigException Error(DisaggConfig config, string key, string message) => new([new ConfigError(config.SourceFile, 0, 0, key, message)]);
}
