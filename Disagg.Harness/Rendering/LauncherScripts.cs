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
        sb.Append("export CUDA_VISIBLE_DEVICES=").AppendLine(string.Join(',', server.FirstNodeGpus));
        sb.Append(exports);
        sb.AppendLine("unset UCX_TLS");
        sb.AppendLine("echo \"SLURM_PROCID: ${SLURM_PROCID:-0}, hostname: $(hostname), node: ${SLURMD_NODENAME:-unknown}, instance_id: " + server.Index + "\"");
        sb.AppendLine("echo \"CUDA_VISIBLE_DEVICES: $CUDA_VISIBLE_DEVICES\"");
        var configFile = Path.Combine(context.Workspace, server.Role == "ctx" ? JobFiles.CtxConfig : JobFiles.GenConfig);
        sb.Append("echo config_file: ").AppendLine(BashQuote.Quote(configFile));
        if (profile.Commands.Rank0Only)
            sb.AppendLine("# Rank 0 serves; other ranks hold their GPUs like trtllm-llmapi-launch workers do.")
              .AppendLine("if [ \"${SLURM_PROCID:-0}\" != 0 ]; then exec sleep infinity; fi");
        var prefix = Prefix(config, context, server);
        var command = Fill(profile.Commands.Worker, config, server.Role, server.Index, configFile, prefix);
        if (!profile.Commands.Worker.Contains("{prefix}", StringComparison.Ordinal)) command = prefix + command;
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

    public static string DisaggServer(DisaggConfig config, ClusterProfile profile, RenderContext context)
    {
        var sb = Header($"disagg server of test {context.TestId}", "usage: (no arguments; reads server_config.yaml written by the job)");
        var env = new List<KeyValuePair<string, string>>(config.Environment.ServerEnv);
        env.AddRange(ModeEnv.ForServer(config));
        AppendExports(sb, env, config.SourceFile);
        var command = Fill(profile.Commands.DisaggServer, config, "disagg", 0, Path.Combine(context.Workspace, JobFiles.ServerConfig), "");
        sb.Append("exec ").AppendLine(command);
        return sb.ToString();
    }

    /// <summary>numactl and nsys wrappers of a worker (job-layout.md §6), each ending in a space.</summary>
    private static string Prefix(DisaggConfig config, RenderContext context, ServerPlacement server)
    {
        var prefix = new StringBuilder();
        if (config.Profiling.NsysOn)
        {
            var output = Path.Combine(context.Workspace, $"nsys_worker_proc_{server.Role.ToUpperInvariant()}_{server.Index}_");
            prefix.Append("nsys profile -o ").Append(BashQuote.Quote(output)).Append("\"${SLURM_PROCID:-0}\"")
                  .Append(" -f true -t cuda,nvtx,python-gil -c cudaProfilerApi --cuda-graph-trace node --capture-range-end=stop --gpu-metrics-devices=all --gpu-metrics-frequency=10000 ");
        }
        if (config.Slurm.NumaBind) prefix.Append("numactl -m 0,1 ");
        return prefix.ToString();
    }

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
    internal static void AppendExports(StringBuilder sb, IEnumerable<KeyValuePair<string, string>> env, string source)
    {
        foreach (var (key, value) in env)
        {
            if (Names.EnvVar(key) is { } problem)
                throw new ConfigException([new ConfigError(source, 0, 0, "env", problem)]);
            sb.Append("export ").Append(key).Append('=').AppendLine(BashQuote.Quote(value));
        }
    }

    private static string Fill(string template, DisaggConfig config, string role, int index, string configFile, string prefix) =>
        CommandTemplate.Fill(template, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["role"] = role,
            ["index"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["host"] = "\"$1\"",
            ["port"] = "\"$2\"",
            ["config"] = BashQuote.Quote(configFile),
            ["model_path"] = BashQuote.Quote(config.Environment.ModelPath),
            ["prefix"] = prefix,
        });
}
