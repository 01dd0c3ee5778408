using System.Diagnostics;
using Disagg.Sim.Common;

namespace Disagg.Sim.DisaggServer;

/// <summary>Polls every worker's <c>/health</c> once a second until all answer 200, or the start timeout passes.</summary>
internal sealed class ReadinessMonitor(HttpClient http, DisaggServerConfig config)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>True when every worker is healthy; false on timeout.</summary>
    public async Task<bool> WaitForWorkersAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ServerLog.Trt("Waiting for context and generation servers to be ready");
        var started = Stopwatch.GetTimestamp();
        var polls = 0;
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            var results = await Task.WhenAll(config.AllWorkers.Select(w => IsHealthyAsync(w, cancellationToken))).ConfigureAwait(false);
            if (results.All(ok => ok))
            {
                return true;
            }

            polls++;
            if (polls % 3 == 0)
            {
                ServerLog.Trt($"Context and generation servers are not ready. Waiting ({polls})...");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private async Task<bool> IsHealthyAsync(WorkerEndpoint worker, CancellationToken cancellationToken)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(ProbeTimeout);
        try
        {
            using var response = await http.GetAsync(new Uri(worker.BaseUri, "/health"), probe.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
