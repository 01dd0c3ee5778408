namespace Disagg.Sim.Common;

/// <summary>
/// What the worker and the disagg server share as servers: the host they listen on, and the lifecycle they print in
/// uvicorn's words (started, waiting for startup, startup complete or failed, then on SIGTERM or SIGINT shutting down
/// and finished), which the harness's job scripts wait for.
/// </summary>
internal static class UvicornServer
{
    /// <summary>The host, with the <c>bind_fail</c> fault answered as trtllm-serve fails and the access log per SIM_ACCESS_LOG.</summary>
    public static WebApplication Create(string host, int port, FaultPlan faults)
    {
        if (faults.BindFail)
        {
            throw PythonErrors.BindFailure(host, port, 98, "Address already in use");
        }

        var app = SlimWebHost.Create(host, port);
        app.UseUvicornAccessLog(EnvSettings.Flag("SIM_ACCESS_LOG", true));
        return app;
    }

    /// <summary>
    /// Starts listening, runs <paramref name="startup"/> (false: startup failed, exit 1), then serves until cancelled;
    /// <paramref name="afterStop"/> runs once the host has stopped taking requests. Exit code 0 after a clean shutdown.
    /// </summary>
    public static async Task<int> ServeAsync(WebApplication app, string host, int port, Func<CancellationToken, Task<bool>> startup, Func<Task> afterStop,
        CancellationToken cancellationToken)
    {
        await SlimWebHost.StartAsync(app, host, port, cancellationToken).ConfigureAwait(false);
        var pid = Environment.ProcessId;
        ServerLog.Uvicorn($"Started server process [{pid}]");
        ServerLog.Uvicorn("Waiting for application startup.");
        try
        {
            if (!await startup(cancellationToken).ConfigureAwait(false))
            {
                ServerLog.Uvicorn("Application startup failed. Exiting.", "ERROR");
                return 1;
            }

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
        await afterStop().ConfigureAwait(false);
        ServerLog.Uvicorn("Application shutdown complete.");
        ServerLog.Uvicorn($"Finished server process [{pid}]");
        return 0;
    }
}
