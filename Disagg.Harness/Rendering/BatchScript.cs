using System.Globalization;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Rendering;

/// <summary>
/// The sbatch script. Options live in #SBATCH lines so <c>sbatch job.sbatch</c> resubmits it unchanged.
/// The job watches its own steps: a server that exits, a readiness timeout or a signal ends the job at
/// once with an <c>Error:</c> line, instead of waiting out a timeout.
/// </summary>
public static class BatchScript
{
    public static string Render(DisaggConfig config, ClusterProfile profile, RenderContext context, JobPlacement placement)
    {
        var sb = new StringBuilder();
        sb.AppendLine("#!/bin/bash");
        foreach (var option in SbatchOptions(config, profile, context, placement))
            sb.Append("#SBATCH ").AppendLine(option);
        sb.AppendLine("#");
        sb.Append("# Test ").Append(ScriptText.Comment(context.TestId)).Append(" from ").Append(ScriptText.Comment(context.ConfigPath))
          .Append(", cluster profile ").AppendLine(ScriptText.Comment(profile.Name));
        sb.Append("# Rendered by Disagg. Resubmit by hand: sbatch ").AppendLine(ScriptText.Comment(Path.Combine(context.Workspace, JobFiles.BatchScript)));
        sb.AppendLine("set -uo pipefail");
        sb.Append("WORKSPACE=").AppendLine(BashQuote.Quote(context.Workspace));
        sb.AppendLine("cd \"$WORKSPACE\" || exit 1");
        LauncherScripts.AppendExports(sb, profile.JobEnv, profile.SourceFile);
        sb.Append(JobFunctions.Text(JobFiles.Phases));
        sb.AppendLine();
        AppendNodes(sb, profile, placement);
        AppendServerConfig(sb, config, placement);
        AppendSteps(sb, config, profile, context, placement);
        return sb.ToString();
    }

    public static IReadOnlyList<string> SbatchOptions(DisaggConfig config, ClusterProfile profile, RenderContext context, JobPlacement placement)
    {
        var options = new List<string> { "--job-name=" + ScriptText.SbatchValue(config.Slurm.JobName, config.SourceFile) };
        // DISAGG_SLURM_PARTITION / _ACCOUNT win over the profile (upstream: the environment always wins); the profile over the config.
        var partition = config.Slurm.PartitionFromEnvironment || string.IsNullOrEmpty(profile.Partition) ? config.Slurm.Partition : profile.Partition;
        var account = config.Slurm.AccountFromEnvironment || string.IsNullOrEmpty(profile.Account) ? config.Slurm.Account : profile.Account;
        if (!string.IsNullOrEmpty(partition)) options.Add("--partition=" + ScriptText.SbatchValue(partition, config.SourceFile));
        if (!string.IsNullOrEmpty(account)) options.Add("--account=" + ScriptText.SbatchValue(account, config.SourceFile));
        options.Add($"--time={JobTime.Format(config.Slurm.JobTime)}");
        options.Add(string.Create(CultureInfo.InvariantCulture, $"--nodes={placement.TotalNodes}"));
        options.Add(string.Create(CultureInfo.InvariantCulture, $"--ntasks={placement.TotalTasks}"));
        options.Add(string.Create(CultureInfo.InvariantCulture, $"--ntasks-per-node={placement.GpusPerNode}"));
        if (config.Slurm.SetSegment) options.Add(string.Create(CultureInfo.InvariantCulture, $"--segment={placement.TotalNodes}"));
        options.Add("--output=" + ScriptText.SbatchValue(Path.Combine(context.Workspace, "slurm-%j.out"), config.SourceFile));
        options.Add("--error=" + ScriptText.SbatchValue(Path.Combine(context.Workspace, "slurm-%j.err"), config.SourceFile));
        // The batch shell gets SIGUSR1 two minutes before the limit, so a TIMEOUT still stops cleanly and says why.
        options.Add($"--signal=B:USR1@{PackagingFunctions.WarningLeadSeconds(config.Slurm.JobTime)}");
        // The run id rides along in the comment, so `disagg cancel <run id>` can sweep a run's leftovers.
        if (context.RunId.Length > 0) options.Add("--comment=" + ScriptText.SbatchValue(RunComment.For(context.RunId), config.SourceFile));
        options.AddRange(config.Slurm.ExtraArgs);
        foreach (var option in options) ScriptText.RequireSingleLine(option, config.SourceFile);
        return options;
    }


    private static void AppendNodes(StringBuilder sb, ClusterProfile profile, JobPlacement placement)
    {
        sb.AppendLine("mapfile -t NODES < <(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | sort)");
        sb.Append("[ \"${#NODES[@]}\" -ge ").Append(placement.TotalNodes)
          .Append(" ] || fail \"allocation has ${#NODES[@]} node(s), the job needs ").Append(placement.TotalNodes).AppendLine("\"");
        sb.AppendLine(profile.NodeAddressing == NodeAddressing.NodeAddr
            ? "node_addr() { scontrol show node \"$1\" | sed -n 's/.*NodeAddr=\\([^ ]*\\).*/\\1/p'; }"
            : "node_addr() { echo \"$1\"; }");
        sb.AppendLine(profile.PortBase is { } fixedBase
            ? $"PORT_BASE={fixedBase}"
            : "# Several jobs share one host on the local cluster: derive the ports from the job id, below the\n" +
              "# kernel's ephemeral range (32768+) so no outgoing connection can hold a server's port.\n" +
              "PORT_BASE=$((10000 + (SLURM_JOB_ID % 50) * 400))");
        foreach (var s in placement.Servers)
        {
            var p = s.EnvPrefix;
            sb.Append(p).Append("_NODES=$(IFS=,; echo \"${NODES[*]:").Append(s.FirstNode).Append(':').Append(s.NodeCount).AppendLine("}\")");
            sb.Append(p).Append("_HOST=$(node_addr \"${NODES[").Append(s.FirstNode).AppendLine("]}\")");
            sb.Append(p).Append("_PORT=$((PORT_BASE + ").Append(s.PortOffset).AppendLine("))");
        }
        sb.Append("DISAGG_NODE=\"${NODES[").Append(placement.FrontNode).AppendLine("]}\"");
        sb.AppendLine("DISAGG_HOST=$(node_addr \"$DISAGG_NODE\")");
        sb.Append("DISAGG_PORT=$((PORT_BASE + ").Append(placement.DisaggPortOffset).AppendLine("))");
        sb.AppendLine("phase \"allocated ${NODES[*]} (job $SLURM_JOB_ID)\"");
    }

    private static void AppendServerConfig(StringBuilder sb, DisaggConfig config, JobPlacement placement)
    {
        sb.Append("cat > \"$WORKSPACE/").Append(JobFiles.ServerConfig).AppendLine("\" <<EOF");
        sb.AppendLine("backend: pytorch");
        foreach (var (section, role) in new[] { ("context_servers", "ctx"), ("generation_servers", "gen") })
        {
            var servers = placement.Servers.Where(s => s.Role == role).ToList();
            sb.Append(section).AppendLine(":");
            sb.Append("  num_instances: ").Append(servers.Count).AppendLine();
            sb.AppendLine(servers.Count == 0 ? "  urls: []" : "  urls:");
            foreach (var s in servers) sb.Append("  - ${").Append(s.EnvPrefix).Append("_HOST}:${").Append(s.EnvPrefix).AppendLine("_PORT}");
        }
        sb.AppendLine("hostname: ${DISAGG_HOST}");
        sb.AppendLine("port: ${DISAGG_PORT}");
        sb.AppendLine("EOF");
    }

    private static void AppendSteps(StringBuilder sb, DisaggConfig config, ClusterProfile profile, RenderContext context, JobPlacement placement)
    {
        var container = ContainerFlags(config);
        SystemFactsStep.Append(sb, profile.Mpi, container);
        if (InstallStep.Needed(config)) InstallStep.Append(sb, config, profile.Mpi, container);
        SystemFactsStep.AppendVersion(sb, profile.Mpi, container);
        if (DwdpJob.Applies(config)) DwdpJob.AppendSteps(sb, config, profile, context, placement, container);
        if (!DwdpJob.Applies(config) && placement.Servers.Any(s => s.Mapped)) sb.Append(RankFiles.Function);
        foreach (var s in placement.Servers.Where(_ => !DwdpJob.Applies(config)))
        {
            sb.Append("add_worker ").Append(s.Name).Append(" \"$").Append(s.EnvPrefix).Append("_HOST\" \"$").Append(s.EnvPrefix).AppendLine("_PORT\"");
            if (s.Mapped)
            {
                // Compact packing: srun's block distribution cannot place this server; the hostfile places each rank.
                RankFiles.AppendWrite(sb, JobFiles.Hostfile(s.Role, s.Index), JobFiles.GpuMap(s.Role, s.Index), s.RankGpus, placement.GpusPerNode);
                sb.Append("SLURM_HOSTFILE=\"$WORKSPACE/").Append(JobFiles.Hostfile(s.Role, s.Index)).Append("\" start_step ").Append(s.Name).Append(' ')
                  .Append(JobFiles.WorkerLog(s.Role, s.Index)).Append(" -l --ntasks=").Append(s.Tasks).Append(" --distribution=arbitrary");
            }
            else
                sb.Append("start_step ").Append(s.Name).Append(' ').Append(JobFiles.WorkerLog(s.Role, s.Index))
                  .Append(" -l --nodelist=\"$").Append(s.EnvPrefix).Append("_NODES\" -N ").Append(s.NodeCount)
                  .Append(" --ntasks=").Append(s.Tasks).Append(" --ntasks-per-node=").Append(s.TasksPerNode);
            sb.Append(" --overlap --kill-on-bad-exit=1 --mpi=").Append(profile.Mpi).Append(container)
              .Append(" bash \"$WORKSPACE/").Append(JobFiles.WorkerLauncher(s.Role, s.Index)).Append("\" \"$")
              .Append(s.EnvPrefix).Append("_HOST\" \"$").Append(s.EnvPrefix).AppendLine("_PORT\"");
        }
        sb.Append("start_step disagg_server ").Append(JobFiles.DisaggServerLog)
          .Append(" -l --nodelist=\"$DISAGG_NODE\" -N 1 --ntasks=1 --ntasks-per-node=1 --overlap --kill-on-bad-exit=1 --mpi=")
          .Append(profile.Mpi).Append(container)
          .Append(" bash \"$WORKSPACE/").Append(JobFiles.DisaggServerLauncher).AppendLine("\"");
        sb.AppendLine("wait_ready \"$DISAGG_HOST\" \"$DISAGG_PORT\" \"${DISAGG_SERVER_START_TIMEOUT_S:-1800}\"");
        sb.AppendLine("phase \"servers ready\"");
        if (config.Benchmark.EnableBenchmark)
        {
            sb.Append("run_step benchmark ").Append(JobFiles.BenchmarkLog)
              .Append(" -l --nodelist=\"$DISAGG_NODE\" -N 1 --ntasks=1 --ntasks-per-node=1 --overlap --mpi=").Append(profile.Mpi).Append(container)
              .Append(" bash \"$WORKSPACE/").Append(JobFiles.BenchmarkScript).AppendLine("\" \"$DISAGG_HOST\" \"$DISAGG_PORT\"");
        }
        AccuracySteps.Append(sb, config, profile, context, container);
        sb.AppendLine("echo \"$SLURM_JOB_NODELIST\" > \"$WORKSPACE/done_${SLURM_JOB_ID}.txt\"");
        sb.AppendLine("phase \"done\"");
        sb.AppendLine("echo \"Job completed successfully, total runtime: $(( $(date +%s) - STARTED )) seconds\"");
        sb.AppendLine("finish");
    }

    private static string ContainerFlags(DisaggConfig config)
    {
        var env = config.Environment;
        if (string.IsNullOrEmpty(env.ContainerImage)) return "";
        var flags = new StringBuilder();
        flags.Append(" --container-image=").Append(BashQuote.Quote(env.ContainerImage));
        flags.Append(" --container-name=disagg-${SLURM_JOB_ID}");
        if (!string.IsNullOrEmpty(env.ContainerMount))
            flags.Append(" --container-mounts=").Append(BashQuote.Quote(env.ContainerMount)).Append(",\"$WORKSPACE:$WORKSPACE\"");
        else flags.Append(" --container-mounts=\"$WORKSPACE:$WORKSPACE\"");
        flags.Append(" --no-container-mount-home");
        return flags.ToString();
    }
}
