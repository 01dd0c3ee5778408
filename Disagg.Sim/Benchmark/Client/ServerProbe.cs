using Disagg.Sim.Common;

namespace Disagg.Sim.Benchmark.Client;

/// <summary>
/// Before the run the Python client queries <c>GET /energy_metrics</c> (any status is fine). The simulator does the
/// same, and uses it to fail fast, like aiohttp, when the server is not reachable at all. It also warms up the
/// HTTP connection pool so the first timed requests do not pay for it.
/// </summary>
internal static class ServerProbe
{
    public static async Task EnsureReachableAsync(HttpClient http, string baseUrl, CancellationToken cancellationToken)
    {
        var uri = new Uri(baseUrl.TrimEnd('/') + "/energy_metrics");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            using var response = await http.GetAsync(uri, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            throw new PythonError(
                "aiohttp.client_exceptions.ClientConnectorError",
                $"Cannot connect to host {uri.Host}:{uri.Port} ssl:default [{reason}]",
                [
                    "  File \"/usr/local/lib/python3.12/dist-packages/tensorrt_llm/serve/scripts/benchmark_serving.py\", line 1187, in <module>",
                    "    main(args)",
                    "  File \"/usr/local/lib/python3.12/dist-packages/aiohttp/connector.py\", line 1268, in _wrap_create_connection",
                    "    raise client_error(req.connection_key, exc) from exc",
                ]);
        }
    }
}
