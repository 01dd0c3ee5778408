namespace Disagg.Sim.Benchmark.Client;

/// <summary>The client's HTTP stack: no proxy, no connection limit, a 6-hour total timeout like the real client.</summary>
internal static class BenchmarkHttp
{
    public static HttpClient Create() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        MaxConnectionsPerServer = int.MaxValue,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(15),
    })
    {
        Timeout = TimeSpan.FromHours(6),
        DefaultRequestVersion = System.Net.HttpVersion.Version11,
    };
}
