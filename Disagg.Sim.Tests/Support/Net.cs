using System.Net;
using System.Net.Sockets;

namespace Disagg.Sim.Tests.Support;

/// <summary>Loopback helpers: free ports and HTTP polling.</summary>
internal static class Net
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
