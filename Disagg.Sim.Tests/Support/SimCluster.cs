using System.Globalization;

namespace Disagg.Sim.Tests.Support;

/// <summary>One CTX worker, one GEN worker and a disagg server on free loopback ports.</summary>
internal sealed class SimCluster : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<SimProcess> _processes = [];
    private readonly int[] _ports = Net.FreePorts(3);

    public int ServerPort => _ports[0];

    public SimProcess Context { get; private set; } = null!;

    public SimProcess Generation { get; private set; } = null!;

    public SimProcess Server { get; private set; } = null!;

    public string Directory => _dir.Path;

    public string HealthUrl => $"http://127.0.0.1:{ServerPort}/health";

    public static async Task<SimCluster> StartAsync(
        IReadOnlyDictionary<string, string> workerEnvironment, IReadOnlyDictionary<string, string>? genEnvironment, CancellationToken cancellationToken)
    {
        var cluster = new SimCluster();
        int ctxPort = cluster._ports[1], genPort = cluster._ports[2];
        var ctxConfig = cluster._dir.Write("ctx_config.yaml", "max_batch_size: 16\nmax_num_tokens: 8192\nmax_seq_len: 4096\ntensor_parallel_size: 1\n");
        var genConfig = cluster._dir.Write("gen_config.yaml", "max_batch_size: 64\nmax_num_tokens: 512\nmax_seq_len: 4096\ntensor_parallel_size: 1\n");
        var serverConfig = cluster._dir.Write("server_config.yaml", string.Create(CultureInfo.InvariantCulture, $"""
            backend: pytorch
            context_servers:
              num_instances: 1
              urls:
              - 127.0.0.1:{ctxPort}
            generation_servers:
              num_instances: 1
              urls:
              - 127.0.0.1:{genPort}
            hostname: 127.0.0.1
            port: {cluster.ServerPort}
            """));
        cluster.Context = cluster.Add(Worker("ctx", ctxPort, ctxConfig), workerEnvironment);
        cluster.Generation = cluster.Add(Worker("gen", genPort, genConfig), genEnvironment ?? workerEnvironment);
        cluster.Server = cluster.Add(["disagg-server", "-c", serverConfig, "-t", "60", "-r", "60"], null);
        using var http = Net.Client();
        await Net.WaitForHealthyAsync(http, cluster.HealthUrl, cancellationToken).ConfigureAwait(false);
        return cluster;
    }

    public SimProcess StartBenchmark(params string[] extraArgs)
    {
        string[] args =
        [
            "benchmark", "--model", "sim-model", "--host", "127.0.0.1", "--port", ServerPort.ToString(CultureInfo.InvariantCulture),
            "--disable-tqdm", .. extraArgs,
        ];
        return Add(args, null);
    }

    private static string[] Worker(string role, int port, string config) =>
        ["worker", "--role", role, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--config", config, "--model", "sim-model"];

    private SimProcess Add(string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var process = SimProcess.Start(args, environment);
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            try
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Keep stopping the others; ProcessReaper kills anything left at the end of the run.
            }
        }

        _dir.Dispose();
    }
}
