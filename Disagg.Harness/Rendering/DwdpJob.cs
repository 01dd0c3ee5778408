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
/// client and lm_eval run as in any job. Only the block-distribution layout is rendered: the CTX GPUs must fill whole
/// nodes, because a shared node needs a per-rank GPU map and the arbitrary distribution.
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
        var ctxGpus = CtxGpus(config, placement);
        var sb = LauncherScripts.Header($"DWDP workers of test {context.TestId} (ranks below {ctxGpus} are CTX, the rest GEN)",
            "usage: (no arguments; every rank of the MPI step runs it)");
        sb.Append("if [ \"${SLURM_PROCID:-0}\" -lt ").Append(ctxGpus.ToString(CultureInfo.InvariantCulture)).AppendLine(" ]; then");
        sb.AppendLine("  role=CTX");
        AppendRoleExports(sb, config, "ctx");
        sb.AppendLine("else");
        sb.AppendLine("  role=GEN");
        AppendRoleExports(sb, config, "gen");
        sb.AppendLine("fi");
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
        var nodes = string.Join(',', placement.Servers.Select(s => $"${s.EnvPrefix}_NODES"));
        var nodeCount = placement.Servers.Max(s => s.FirstNode + s.NodeCount) - placement.Servers.Min(s => s.FirstNode);
        var tasks = placement.Servers.Sum(s => s.Tasks);
        // One node list for the step; scontrol folds the repeats of nodes shared by several servers of a role.
        sb.Append("DWDP_NODES=$(scontrol show hostnames \"").Append(nodes).AppendLine("\" | awk '!seen[$0]++' | paste -sd,)");
        sb.Append("start_step dwdp_workers ").Append(JobFiles.DwdpLog)
          .Append(" -l --nodelist=\"$DWDP_NODES\" -N ").Append(nodeCount.ToString(CultureInfo.InvariantCulture))
          .Append(" --ntasks=").Append(tasks.ToString(CultureInfo.InvariantCulture))
          .Append(" --ntasks-per-node=").Append(placement.GpusPerNode.ToString(CultureInfo.InvariantCulture))
          .Append(" --overlap --kill-on-bad-exit=1 --mpi=").Append(profile.Mpi).Append(container)
          .Append(" bash \"$WORKSPACE/").Append(JobFiles.DwdpLauncher).AppendLine("\"");
    }

    /// <summary>The ranks of the CTX servers; they must fill whole nodes for the block distribution to keep roles apart.</summary>
    private static int CtxGpus(DisaggConfig config, JobPlacement placement)
    {
        var ctxGpus = placement.Servers.Where(s => s.Role == "ctx").Sum(s => s.Tasks);
        if (ctxGpus % placement.GpusPerNode != 0)
            throw Error(config, "hardware.num_ctx_servers",
                $"DWDP with {ctxGpus} CTX GPUs on {placement.GpusPerNode}-GPU nodes shares a node between CTX and GEN ranks, which needs a per-rank " +
                "GPU map and srun's arbitrary distribution; Disagg renders only the layout where CTX GPUs fill whole nodes");
        return ctxGpus;
    }

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
