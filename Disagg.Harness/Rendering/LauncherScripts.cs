using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Rendering;

/// <summary>
/// One small launcher per server. Host and port arrive as $1/$2 because node names are only known inside
/// the job; everything else is fixed at render time so a human can rerun a server by hand.
/// </summary>
public static class LauncherScripts
{
    public static string Worker(DisaggConfig config, ClusterProfile profile, RenderContext context, ServerPlacement server)
    {
        var sb = Header($"{server.Role.ToUpperInvariant()} server {server.Index} of test {context.TestId}", "usage: <host> <port>");
        sb.Append("export CUDA_VISIBLE_DEVICES=").AppendLine(string.Join(',', server.FirstNodeGpus));
        var env = new List<KeyValuePair<string, string>>(config.Environment.WorkerEnv);
        env.AddRange(server.Role == "ctx" ? config.Environment.CtxWorkerEnv : config.Environment.GenWorkerEnv);
        env.AddRange(ModeEnv.ForWorker(config, server.Role));
        env.AddRange(ModeEnv.ForProfiling(config, server.Role));
        AppendExports(sb, env);
        ContainerEnv.AppendPathPrepends(sb);
        ContainerEnv.AppendUcxPins(sb);
        sb.AppendLine("echo \"SLURM_PROCID: ${SLURM_PROCID:-0}, hostname: $(hostname), node: ${SLURMD_NODENAME:-unknown}, instance_id: " + server.Index + "\"");
        sb.AppendLine("echo \"CUDA_VISIBLE_DEVICES: $CUDA_VISIBLE_DEVICES\"");
        var configFile = Path.Combine(context.Workspace, server.Role == "ctx" ? JobFiles.CtxConfig : JobFiles.GenConfig);
        sb.Append("echo config_file: ").AppendLine(BashQuote.Quote(configFile));
        if (profile.Commands.Rank0Only)
            sb.AppendLine("# Rank 0 serves; other ranks hold their GPUs like trtllm-llmapi-launch workers do.")
              .AppendLine("if [ \"${SLURM_PROCID:-0}\" != 0 ]; then exec sleep infinity; fi");
        var command = Wrap(Fill(profile.Commands.Worker, config, server.Role, server.Index, configFile), Nsys(config, context, server), Numactl(config));
        sb.Append("exec ").AppendLine(command);
        return sb.ToString();
    }

    /// <summary>
    /// Places the wrappers: <c>{nsys}</c> and <c>{numactl}</c> where the template puts them (upstream: nsys outside
    /// trtllm-llmapi-launch, numactl inside it), <c>{prefix}</c> for both together; a wrapper the template does not
    /// place goes in front of the whole command.
    /// </summary>
    internal static string Wrap(string command, string nsys, string numactl)
    {
        if (command.Contains("{prefix}", StringComparison.Ordinal)) return command.Replace("{prefix}", nsys + numactl, StringComparison.Ordinal);
        var front = new StringBuilder();
        if (command.Contains("{numactl}", StringComparison.Ordinal)) command = command.Replace("{numactl}", numactl, StringComparison.Ordinal);
        else front.Append(numactl);
        if (command.Contains("{nsys}", StringComparison.Ordinal)) command = command.Replace("{nsys}", nsys, StringComparison.Ordinal);
        else front.Insert(0, nsys);
        return front + command;
    }

    public static string DisaggServer(DisaggConfig config, ClusterProfile profile, RenderContext context)
    {
        var sb = Header($"disagg server of test {context.TestId}", "usage: (no arguments; reads server_config.yaml written by the job)");
        var env = new List<KeyValuePair<string, string>>(config.Environment.ServerEnv);
        env.AddRange(ModeEnv.ForServer(config));
        AppendExports(sb, env);
        ContainerEnv.AppendPathPrepends(sb);
        var command = Fill(profile.Commands.DisaggServer, config, "disagg", 0, Path.Combine(context.Workspace, JobFiles.ServerConfig));
        sb.Append("exec ").AppendLine(command);
        return sb.ToString();
    }

    /// <summary>
    /// The profiler of a worker (upstream's start_worker.sh): one report per rank, GPU metrics off, capture driven by the
    /// TLLM_PROFILE_START_STOP iterations (ModeEnv.ForProfiling). Ends in a space.
    /// </summary>
    private static string Nsys(DisaggConfig config, RenderContext context, ServerPlacement server)
    {
        if (!config.Profiling.NsysOn) return "";
        var output = Path.Combine(context.Workspace, $"nsys_worker_proc_{server.Role.ToUpperInvariant()}_{server.Index}_");
        return "nsys profile -o " + BashQuote.Quote(output) + "\"${SLURM_PROCID:-0}\"" +
               " -f true -t cuda,nvtx,python-gil -c cudaProfilerApi --cuda-graph-trace node --capture-range-end=stop --gpu-metrics-devices=none ";
    }

    /// <summary>Memory of a GB200/GB300 worker bound to its own NUMA nodes (slurm.numa_bind). Ends in a space.</summary>
    internal static string Numactl(DisaggConfig config) => config.Slurm.NumaBind ? "numactl -m 0,1 " : "";

    internal static StringBuilder Header(string what, string usage)
    {
        var sb = new StringBuilder();
        sb.AppendLine("#!/bin/bash");
        sb.Append("# ").Append(what).AppendLine(", rendered by Disagg.");
        sb.Append("# ").AppendLine(usage);
        sb.AppendLine("set -euo pipefail");
        return sb;
    }

    internal static void AppendExports(StringBuilder sb, IEnumerable<KeyValuePair<string, string>> env)
    {
        foreach (var (key, value) in env)
            sb.Append("export ").Append(key).Append('=').AppendLine(BashQuote.Quote(value));
    }

    private static string Fill(string template, DisaggConfig config, string role, int index, string configFile) =>
        template
            .Replace("{role}", role, StringComparison.Ordinal)
            .Replace("{index}", index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{host}", "\"$1\"", StringComparison.Ordinal)
            .Replace("{port}", "\"$2\"", StringComparison.Ordinal)
            .Replace("{config}", BashQuote.Quote(configFile), StringComparison.Ordinal)
            .Replace("{model_path}", BashQuote.Quote(config.Environment.ModelPath), StringComparison.Ordinal);
}
