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
        var config = DisaggServerConfigLoader.Load(options.ConfigPath);
        await using var app = UvicornServer.Create(config.Hostname, config.Port, faults);
        if (faults.CrashOnStart)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            throw PythonErrors.DisaggStartupFailure();
        }

        using var http = WorkerHttp.Create();
        var state = new DisaggState(faults);
        var proxy = new DisaggProxy(http, state, new WorkerRouter(config.Context), new WorkerRouter(config.Generation),
            options.RequestTimeout, cancellationToken);
        DisaggEndpoints.Map(app, proxy, state, config);
        return await UvicornServer.ServeAsync(app, config.Hostname, config.Port, async token =>
        {
            ServerLog.Trt($"Disaggregated server on {config.Hostname}:{config.Port}; context servers: [{string.Join(", ", config.Context.Urls)}], "
                + $"generation servers: [{string.Join(", ", config.Generation.Urls)}]");
            if (!await new ReadinessMonitor(http, config).WaitForWorkersAsync(options.StartTimeout, token).ConfigureAwait(false))
            {
                PythonErrors.DisaggTimeout().Print();
                return false;
            }

            state.MarkReady();
            return true;
        }, () => Task.CompletedTask, cancellationToken).ConfigureAwait(false);
    }
}
