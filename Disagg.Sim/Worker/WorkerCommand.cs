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
        var accessLog = EnvSettings.Flag("SIM_ACCESS_LOG", true);
        var config = WorkerConfigLoader.Load(options.ConfigPath);
        if (faults.BindFail)
        {
            throw PythonErrors.BindFailure(options.Host, options.Port, 98, "Address already in use");
        }

        var state = new WorkerState(faults);
        var scheduler = new Scheduler(config, latency);
        var runtime = new WorkerRuntime(options, config, latency, faults, state, scheduler, cancellationToken);
        await using var app = SlimWebHost.Create(options.Host, options.Port);
        app.UseUvicornAccessLog(accessLog);
        WorkerEndpoints.Map(app, runtime);
        await SlimWebHost.StartAsync(app, options.Host, options.Port, cancellationToken).ConfigureAwait(false);

        var pid = Environment.ProcessId;
        ServerLog.Uvicorn($"Started server process [{pid}]");
        ServerLog.Uvicorn("Waiting for application startup.");
        Task? engine = null;
        try
        {
            var warmup = WorkerWarmup.RunAsync(runtime, cancellationToken);
            await LoadModelAsync(options, config, latency, faults, cancellationToken).ConfigureAwait(false);
            await warmup.ConfigureAwait(false);
            engine = scheduler.RunAsync(cancellationToken);
            state.MarkReady();
            ServerLog.Uvicorn("Application startup complete.");
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // SIGTERM / SIGINT: fall through to a clean shutdown.
        }

        ServerLog.Uvicorn("Shutting down");
        ServerLog.Uvicorn("Waiting for application shutdown.");
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (engine is not null)
        {
            await engine.ConfigureAwait(false);
        }

        ServerLog.Uvicorn("Application shutdown complete.");
        ServerLog.Uvicorn($"Finished server process [{pid}]");
        return 0;
    }

    private static async Task LoadModelAsync(WorkerOptions options, WorkerConfig config, LatencyModel latency, FaultPlan faults, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var role = options.IsContext ? "context" : "generation";
        ServerLog.Trt($"Starting TensorRT-LLM init. Version: {WorkerEndpoints.TrtllmVersion}");
        ServerLog.Trt($"Loading model {options.Model} as {role} server: tensor_parallel_size={config.TensorParallelSize}, "
            + $"pipeline_parallel_size={config.PipelineParallelSize}, enable_attention_dp={config.EnableAttentionDp}");
        ServerLog.Trt($"max_batch_size={config.MaxBatchSize}, max_num_tokens={config.MaxNumTokens}, max_seq_len={config.MaxSeqLen}, "
            + $"stream_interval={config.StreamInterval}, cache_transceiver_backend={config.CacheTransceiverBackend}");
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
