using System.Net.Sockets;
using Disagg.Sim.Common;

namespace Disagg.Sim.Benchmark.Client;

/// <summary>Checks once, before the run, that the server accepts TCP connections; fails like aiohttp otherwise.</summary>
internal static class ServerProbe
{
    public static async Task EnsureReachableAsync(string apiUrl, CancellationToken cancellationToken)
    {
        var uri = new Uri(apiUrl);
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await client.ConnectAsync(uri.Host, uri.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = ex is SocketException socket ? socket.Message : "connection timed out";
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
