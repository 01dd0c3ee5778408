namespace Disagg.Sim.DisaggServer;

/// <summary>The HTTP client the disagg server uses to reach workers: no proxy, unlimited connections, HTTP/1.1.</summary>
internal static class WorkerHttp
{
    public static HttpClient Create() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        MaxConnectionsPerServer = int.MaxValue,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestVersion = System.Net.HttpVersion.Version11,
    };
}
