using System.Diagnostics;
using System.Globalization;
using Disagg.Sim.Cli;
using Disagg.Sim.Common;
using Disagg.Sim.Worker.Engine;
using Disagg.Sim.Worker.Http;

namespace Disagg.Sim.Worker;

/// <summary>
/// <c>worker</c>: a trtllm-serve lookalike. Listens at once (503 on /health while "loading"), simulates the model load,
/// prints <c>Application startup complete.</c> when ready, and stops cleanly on SIGTERM.
/// </summary>
internal sealed class WorkerCommand : ISimCommand
{
    public CommandSpec Spec => WorkerOptions.Spec;

    public async Task<int> RunAsync(ParsedArgs args, CancellationToken cancellationToken)
    {
        var options = WorkerOptions.From(args);
        var faults = FaultPlan.FromEnvironment();
        var latency = LatencyModel.FromEnvironment();
        var config = WorkerConfigLoader.Load(options.ConfigPath);
        await using var app = UvicornServer.Create(options.Host, options.Port, faults);
        var state = new WorkerState(faults);
        var noise = NoiseModel.FromEnvironment(Environment.GetEnvironmentVariable("SLURMD_NODENAME") ?? Environment.MachineName);
        var scheduler = new Scheduler(config, latency, noise);
        var runtime = new WorkerRuntime(options, config, latency, faults, state, scheduler, cancellationToken);
        WorkerEndpoints.Map(app, runtime);
        Task? engine = null;
        return await UvicornServer.ServeAsync(app, options.Host, options.Port, async token =>
        {
            var warmup = WorkerWarmup.RunAsync(runtime, token);
            await LoadModelAsync(options, config, latency, faults, token).ConfigureAwait(false);
            await warmup.ConfigureAwait(false);
            engine = scheduler.RunAsync(token);
            state.MarkReady();
            return true;
        }, () => engine ?? Task.CompletedTask, cancellationToken).ConfigureAwait(false);
    }

    private static async Task LoadModelAsync(WorkerOptions options, WorkerConfig config, LatencyModel latency, FaultPlan faults,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var role = options.IsContext ? "context" : "generation";
        if (faults.StallBeforeLoad) await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        ServerLog.Trt($"Starting TensorRT-LLM init. Version: {WorkerEndpoints.TrtllmVersion}");
        ServerLog.Trt($"Loading model {options.Model} as {role} server: tensor_parallel_size={config.TensorParallelSize}, "
            + $"pipeline_parallel_size={config.PipelineParallelSize}, enable_attention_dp={config.EnableAttentionDp}");
        ServerLog.Trt($"max_batch_size={config.MaxBatchSize}, max_num_tokens={config.MaxNumTokens}, max_seq_len={config.MaxSeqLen}, "
            + $"stream_interval={config.StreamInterval}, cache_transceiver_backend={config.CacheTransceiverBackend}");
        if (faults.NodeFault is { } nodeFault)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken).ConfigureAwait(false);
            InfraErrors.PrintAndExit(nodeFault, FaultPlan.CurrentNode());
        }

        if (faults.CrashOnStart || faults.OomOnStart)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            (faults.OomOnStart ? PythonErrors.OutOfMemory() : PythonErrors.StartupFailure()).PrintAndExit();
        }

        await Task.Delay(TimeSpan.FromMilliseconds(latency.LoadMs + faults.SlowStartMs), cancellationToken).ConfigureAwait(false);
        if (faults.HangOnStart)
        {
            ServerLog.Trt("Waiting for executor workers to initialize...");
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);
        ServerLog.Trt($"Model loaded in {seconds} s; KV cache ready; executor started with {config.TensorParallelSize} rank(s)");
    }
}
