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
    /// <summary>A worker launcher with its role's <c>export</c> lines made once by <see cref="WorkerExports"/> (every server of a role shares them).</summary>
    public static string Worker(DisaggConfig config, ClusterProfile profile, RenderContext context, ServerPlacement server, string exports)
    {
        var sb = Header($"{server.Role.ToUpperInvariant()} server {server.Index} of test {context.TestId}", "usage: <host> <port>");
        if (server.Mapped) RankFiles.AppendGpuLookup(sb, Path.Combine(context.Workspace, JobFiles.GpuMap(server.Role, server.Index)));
        else sb.Append("export CUDA_VISIBLE_DEVICES=").AppendLine(string.Join(',', server.FirstNodeGpus));
        sb.Append(exports);
        ContainerEnv.AppendPathPrepends(sb);
        ContainerEnv.AppendUcxPins(sb);
        sb.AppendLine("echo \"SLURM_PROCID: ${SLURM_PROCID:-0}, hostname: $(hostname), node: ${SLURMD_NODENAME:-unknown}, instance_id: " + server.Index + "\"");
        sb.AppendLine("echo \"CUDA_VISIBLE_DEVICES: $CUDA_VISIBLE_DEVICES\"");
        var configFile = Path.Combine(context.Workspace, server.Role == "ctx" ? JobFiles.CtxConfig : JobFiles.GenConfig);
        sb.Append("echo config_file: ").AppendLine(BashQuote.Quote(configFile));
        if (profile.Commands.Rank0Only)
            sb.AppendLine("# Rank 0 serves; other ranks hold their GPUs like trtllm-llmapi-launch workers do.")
              .AppendLine("if [ \"${SLURM_PROCID:-0}\" != 0 ]; then exec sleep infinity; fi");
        var command = Fill(profile.Commands.Worker, config, server.Role, server.Index, configFile, Nsys(config, context, server), Numactl(config));
        sb.Append("exec ").AppendLine(command);
        return sb.ToString();
    }

    /// <summary>The <c>export</c> lines of every worker of <paramref name="role"/>: worker, role and mode environment.</summary>
    public static string WorkerExports(DisaggConfig config, string role)
    {
        var env = new List<KeyValuePair<string, string>>(config.Environment.WorkerEnv);
        env.AddRange(role == "ctx" ? config.Environment.CtxWorkerEnv : config.Environment.GenWorkerEnv);
        env.AddRange(ModeEnv.ForWorker(config, role));
        env.AddRange(ModeEnv.ForProfiling(config, role));
        var sb = new StringBuilder();
        AppendExports(sb, env, config.SourceFile);
        return sb.ToString();
    }

    /// <summary>
    /// Fills <paramref name="template"/> and places the wrappers, all in one pass (a value holding "{nsys}" is never expanded):
    /// <c>{nsys}</c> and <c>{numactl}</c> where the template puts them (upstream: nsys outside trtllm-llmapi-launch, numactl
    /// inside it), <c>{prefix}</c> for both together; a wrapper the template does not place goes in front of the whole command.
    /// </summary>
    internal static string Wrap(string template, IReadOnlyDictionary<string, string> words, string nsys, string numactl)
    {
        var all = new Dictionary<string, string>(words, StringComparer.Ordinal) { ["prefix"] = nsys + numactl, ["nsys"] = nsys, ["numactl"] = numactl };
        var command = CommandTemplate.Fill(template, all);
        if (template.Contains("{prefix}", StringComparison.Ordinal)) return command;
        var front = (template.Contains("{nsys}", StringComparison.Ordinal) ? "" : nsys)
            + (template.Contains("{numactl}", StringComparison.Ordinal) ? "" : numactl);
        return front + command;
    }

    public static string DisaggServer(DisaggConfig config, ClusterProfile profile, RenderContext context)
    {
        var sb = Header($"disagg server of test {context.TestId}", "usage: (no arguments; reads server_config.yaml written by the job)");
        var env = new List<KeyValuePair<string, string>>(config.Environment.ServerEnv);
        env.AddRange(ModeEnv.ForServer(config));
        AppendExports(sb, env, config.SourceFile);
        ContainerEnv.AppendPathPrepends(sb);
        var command = Fill(profile.Commands.DisaggServer, config, "disagg", 0, Path.Combine(context.Workspace, JobFiles.ServerConfig), "", "");
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
        sb.Append("# ").Append(ScriptText.Comment(what)).AppendLine(", rendered by Disagg.");
        sb.Append("# ").AppendLine(usage);
        sb.AppendLine("set -euo pipefail");
        return sb;
    }

    /// <summary>
    /// <c>export NAME=value</c> lines. The value is quoted; the name cannot be, so one that is not a POSIX name
    /// (the loaders refuse those with file:line) is refused here too rather than written into the script.
    /// </summary>
    internal static void AppendExports(StringBuilder sb, IEnumerable<KeyValuePair<string, string>> env, string source, string indent = "")
    {
        foreach (var (key, value) in env)
        {
            if (Names.EnvVar(key) is { } problem)
                throw new ConfigException([new ConfigError(source, 0, 0, "env", problem)]);
            sb.Append(indent).Append("export ").Append(key).Append('=').AppendLine(BashQuote.Quote(value));
        }
    }

    private static string Fill(string template, DisaggConfig config, string role, int index, string configFile, string nsys, string numactl) =>
        Wrap(template, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["role"] = role,
            ["index"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["host"] = "\"$1\"",
            ["port"] = "\"$2\"",
            ["config"] = BashQuote.Quote(configFile),
            ["model_path"] = BashQuote.Quote(config.Environment.ModelPath),
        }, nsys, numactl);
}
