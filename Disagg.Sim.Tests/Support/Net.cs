using System.Net;
using System.Net.Sockets;

namespace Disagg.Sim.Tests.Support;

/// <summary>Loopback helpers: free ports and HTTP polling.</summary>
internal static class Net
{
    public static int FreePort() => FreePorts(1)[0];

    /// <summary>Distinct free ports: all listeners stay open until every port is chosen, so none repeats.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Dispose());
        }
    }

    public static HttpClient Client() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Status of GET url, or null while the connection is refused.</summary>
    public static async Task<(int Status, string Body)?> TryGetAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Polls every 50 ms until GET url answers 200.</summary>
    public static async Task WaitForHealthyAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        while ((await TryGetAsync(http, url, cancellationToken).ConfigureAwait(false))?.Status != 200)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }
}
