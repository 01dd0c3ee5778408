using Disagg.Sim.Cli;
using Disagg.Sim.Common;

namespace Disagg.Sim.DisaggServer;

/// <summary>
/// <c>disagg-server</c>: a <c>trtllm-serve disaggregated</c> lookalike. Answers 503 on /health until every worker is
/// healthy, then 200; fails with trtllm's TimeoutError if they are not ready within <c>-t</c> seconds.
/// </summary>
internal sealed class DisaggServerCommand : ISimCommand
{
    public CommandSpec Spec => DisaggServerOptions.Spec;

    public async Task<int> RunAsync(ParsedArgs args, CancellationToken cancellationToken)
    {
        var options = DisaggServerOptions.From(args);
        var faults = FaultPlan.FromEnvironment();
        var accessLog = EnvSettings.Flag("SIM_ACCESS_LOG", true);
        var config = DisaggServerConfigLoader.Load(options.ConfigPath);
        if (faults.BindFail)
        {
            throw PythonErrors.BindFailure(config.Hostname, config.Port, 98, "Address already in use");
        }

        if (faults.CrashOnStart)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            throw PythonErrors.DisaggStartupFailure();
        }

        using var http = WorkerHttp.Create();
        var state = new DisaggState(faults);
        var proxy = new DisaggProxy(http, state, new WorkerRouter(config.Context), new WorkerRouter(config.Generation), options.RequestTimeout, cancellationToken);
        await using var app = SlimWebHost.Create(config.Hostname, config.Port);
        app.UseUvicornAccessLog(accessLog);
        DisaggEndpoints.Map(app, proxy, state, config);
        await SlimWebHost.StartAsync(app, config.Hostname, config.Port, cancellationToken).ConfigureAwait(false);

        var pid = Environment.ProcessId;
        ServerLog.Uvicorn($"Started server process [{pid}]");
        ServerLog.Uvicorn("Waiting for application startup.");
        ServerLog.Trt($"Disaggregated server on {config.Hostname}:{config.Port}; context servers: [{string.Join(", ", config.Context.Urls)}], "
            + $"generation servers: [{string.Join(", ", config.Generation.Urls)}]");
        try
        {
            var monitor = new ReadinessMonitor(http, config);
            if (!await monitor.WaitForWorkersAsync(options.StartTimeout, cancellationToken).ConfigureAwait(false))
            {
                var error = PythonErrors.DisaggTimeout();
                error.Print();
                ServerLog.Uvicorn("Application startup failed. Exiting.", "ERROR");
                return 1;
            }

            state.MarkReady();
            ServerLog.Uvicorn("Application startup complete.");
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // SIGTERM / SIGINT: clean shutdown below.
        }

        ServerLog.Uvicorn("Shutting down");
        ServerLog.Uvicorn("Waiting for application shutdown.");
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        ServerLog.Uvicorn("Application shutdown complete.");
        ServerLog.Uvicorn($"Finished server process [{pid}]");
        return 0;
    }
}
