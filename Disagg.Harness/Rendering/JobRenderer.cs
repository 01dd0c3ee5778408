using System.Globalization;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Rendering;

/// <summary>
/// Renders a config for a cluster profile into a job: the sbatch script, one launcher per server, the
/// benchmark driver and the worker configs. Pure: the same inputs give the same bytes.
/// </summary>
public static class JobRenderer
{
    public static JobPlan Render(DisaggConfig config, ClusterProfile profile, RenderContext context)
    {
        var noContext = config.Benchmark.Mode == BenchmarkMode.GenOnlyNoContext;
        var ctxServers = noContext ? 0 : config.Hardware.NumCtxServers;
        var dwdp = DwdpJob.Applies(config);
        var placement = Placement.Compute(config.Hardware.GpusPerNode, ctxServers, config.Ctx.WorldSize, config.Hardware.NumGenServers, config.Gen.WorldSize,
            ctxFirst: dwdp, compact: config.Hardware.CompactPacking);
        var concurrencies = ExpectedConcurrencies.Of(config);
        var files = new List<RenderedFile>
        {
            new(JobFiles.CtxConfig, WorkerYaml.Serialize(config.Ctx.Node)),
            new(JobFiles.GenConfig, WorkerYaml.Serialize(config.Gen.Node)),
        };
        if (dwdp) files.Add(new RenderedFile(JobFiles.DwdpLauncher, DwdpJob.Launcher(config, profile, context, placement), Executable: true));
        else
        {
            // Every server of a role exports the same environment: made once per role, not once per server.
            var exports = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var server in placement.Servers)
            {
                if (!exports.TryGetValue(server.Role, out var roleExports))
                    exports[server.Role] = roleExports = LauncherScripts.WorkerExports(config, server.Role);
                var launcher = LauncherScripts.Worker(config, profile, context, server, roleExports);
                files.Add(new RenderedFile(JobFiles.WorkerLauncher(server.Role, server.Index), launcher, Executable: true));
            }
        }
        files.Add(new RenderedFile(JobFiles.DisaggServerLauncher, LauncherScripts.DisaggServer(config, profile, context), Executable: true));
        files.Add(new RenderedFile(JobFiles.BenchmarkScript, BenchmarkScript.Render(config, profile, context), Executable: true));
        files.Add(new RenderedFile(JobFiles.BatchScript, BatchScript.Render(config, profile, context, placement), Executable: true));
        files.Add(new RenderedFile(JobFiles.JobMetadata, Metadata(config, profile, context, placement)));
        // The config as this run used it (after environment overrides), kept with the run and never in configs/.
        files.Add(new RenderedFile(JobFiles.ResolvedConfig,
            ConfigJson.From(config).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n"));
        var logs = dwdp ? [JobFiles.DwdpLog, JobFiles.DisaggServerLog] : JobFiles.ServerLogs(ctxServers, config.Hardware.NumGenServers).ToList();
        return new JobPlan(files, placement, concurrencies, config.Benchmark.MultiRound, logs, config.Slurm.JobTime);
    }

    private static string Metadata(DisaggConfig config, ClusterProfile profile, RenderContext context, JobPlacement placement)
    {
        var sb = new StringBuilder();
        sb.Append("DISAGG_TEST_ID=").AppendLine(BashQuote.Quote(context.TestId));
        sb.Append("DISAGG_CONFIG=").AppendLine(BashQuote.Quote(context.ConfigPath));
        sb.Append("DISAGG_CLUSTER_PROFILE=").AppendLine(BashQuote.Quote(profile.Name));
        sb.Append("DISAGG_MODE=").AppendLine(config.Benchmark.Mode.ToString());
        sb.Append("DISAGG_NODES=").AppendLine(placement.TotalNodes.ToString(CultureInfo.InvariantCulture));
        foreach (var s in placement.Servers)
            sb.Append(CultureInfo.InvariantCulture,
                $"DISAGG_{s.EnvPrefix}=node{s.FirstNode}+{s.NodeCount},gpus={string.Join(':', s.FirstNodeGpus)},port_offset={s.PortOffset}")
                .AppendLine();
        return sb.ToString();
    }
}
