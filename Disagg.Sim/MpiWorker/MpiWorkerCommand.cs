using Disagg.Sim.Cli;
using Disagg.Sim.Common;
using Disagg.Sim.Worker;
using YamlDotNet.RepresentationModel;

namespace Disagg.Sim.MpiWorker;

/// <summary>
/// <c>disaggregated_mpi_worker</c>: a <c>trtllm-serve disaggregated_mpi_worker</c> lookalike for DWDP jobs. Every rank of one
/// MPI step runs it; the rank (SLURM_PROCID, PMIX_RANK, PMI_RANK or OMPI_COMM_WORLD_RANK) picks its role and instance from
/// the config's <c>context_servers</c> / <c>generation_servers</c> sections. An instance's first rank serves the instance's
/// URL as the <c>worker</c> verb does; its other ranks hold their GPUs until the step ends.
/// </summary>
internal sealed class MpiWorkerCommand : ISimCommand
{
    public static readonly CommandSpec Options = new(
        "disaggregated_mpi_worker",
        "Serve this MPI rank's share of a DWDP job (trtllm-serve disaggregated_mpi_worker lookalike).",
        [
            new FlagSpec("--config_file", FlagArity.Single, "mpi_worker_config.yaml (model, context_servers, generation_servers with urls)")
            {
                Metavar = "YAML", Required = true, Aliases = ["-c", "--config"],
            },
            new FlagSpec("--log_level", FlagArity.Single, "log level (default: info)") { Metavar = "LEVEL", Aliases = ["-l"] },
        ]);

    public CommandSpec Spec => Options;

    public async Task<int> RunAsync(ParsedArgs args, CancellationToken cancellationToken)
    {
        var file = YamlFile.Load(args.String("--config_file")!);
        var rank = MpiRankPlan.RankFromEnvironment(Environment.GetEnvironmentVariable);
        var me = MpiRankPlan.For(file, rank);
        ServerLog.Trt($"disaggregated_mpi_worker rank {rank}: {me.Role.ToUpperInvariant()} instance {me.Instance}, local rank {me.LocalRank}, "
            + $"url {me.Url}");
        if (!me.Serves)
        {
            // Like a TP rank other than 0: it takes part in the instance but serves nothing itself.
            try { await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
            return 0;
        }

        var colon = me.Url.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(me.Url[(colon + 1)..], out var port))
            throw new ConfigException($"{file.Path}: url '{me.Url}' of {me.Role} instance {me.Instance} is not host:port");
        var model = YamlFile.Child(file.Root, "model") is YamlScalarNode { Value: { Length: > 0 } m } ? m : "model";
        var configPath = Path.Combine(Path.GetTempPath(), $"disagg-mpi-worker-{Environment.ProcessId}-{me.Role}_{me.Instance}.yaml");
        var stream = new YamlStream(new YamlDocument(MpiRankPlan.WorkerConfig(file, me.Role)));
        await using (var writer = new StreamWriter(configPath))
            stream.Save(writer, assignAnchors: false);
        try
        {
            var worker = new WorkerCommand();
            var parsed = ArgParser.Parse(worker.Spec,
                ["--role", me.Role, "--host", me.Url[..colon], "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 "--config", configPath, "--model", model]);
            return await worker.RunAsync(parsed, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(configPath);
        }
    }
}
