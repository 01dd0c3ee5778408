using Disagg.Sim.Common;

namespace Disagg.Sim.Benchmark;

/// <summary>
/// The run_benchmark.sh drop-in: optional UCX warm-up, then one benchmark run per concurrency-list value, with
/// concurrency = value × num_gen_servers and prompts = concurrency × multi_round, results in
/// <c>log_path/concurrency_&lt;c&gt;/result.json</c>.
/// </summary>
internal sealed class LoopRunner(HttpClient http, BenchmarkOptions baseOptions, LoopOptions loop)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var procId = Environment.GetEnvironmentVariable("SLURM_PROCID");
        if (!string.IsNullOrEmpty(procId) && procId != "0")
        {
            Console.Out.WriteLine($"Process id is {procId} for loadgen, exiting");
            return 0;
        }

        if (loop.UcxWarmupRequests > 0)
        {
            Console.Out.WriteLine($"warming up ucx connections with small requests... {loop.UcxWarmupRequests}");
            await new BenchmarkRun(http, WarmupOptions()).RunAsync(cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine("UCX warmup done");
        }

        Console.Out.WriteLine($"Hostname: {baseOptions.Host}, Port: {baseOptions.Port}");
        Console.Out.WriteLine("Starting benchmark...");
        foreach (var value in loop.ConcurrencyList)
        {
            var concurrency = value * loop.NumGenServers;
            var prompts = concurrency * loop.MultiRound;
            Console.Out.WriteLine($"Benchmarking with concurrency {concurrency} ... {prompts} prompts");
            var resultDir = Path.Combine(loop.LogPath, $"concurrency_{concurrency}");
            Directory.CreateDirectory(resultDir);
            var slicer = IterationLogSlicer.Mark(loop.LogPath);
            await new BenchmarkRun(http, RunOptions(concurrency, prompts, resultDir)).RunAsync(cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine($"Benchmark with concurrency {concurrency} done");
            await slicer.WriteSlicesAsync(resultDir, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>The warm-up command of run_benchmark.sh: random 100/10, non-streaming, with the initial test prompt.</summary>
    private BenchmarkOptions WarmupOptions() => new()
    {
        Model = baseOptions.Model,
        Host = baseOptions.Host,
        Port = baseOptions.Port,
        BaseUrl = baseOptions.BaseUrl,
        DatasetName = "random",
        RandomIds = true,
        RandomInputLen = 100,
        RandomOutputLen = 10,
        NumPrompts = loop.UcxWarmupRequests,
        IgnoreEos = true,
        NonStreaming = true,
        TrustRemoteCode = baseOptions.TrustRemoteCode,
        DisableTqdm = baseOptions.DisableTqdm,

        // The sample benchmark_serving log (Disagg.Harness.Tests/Fixtures/logs/sample-6_bench.log) has all four sections in the warm-up block too.
        PercentileMetrics = "ttft,tpot,itl,e2el",
    };

    private BenchmarkOptions RunOptions(int concurrency, int prompts, string resultDir)
    {
        var options = baseOptions with
        {
            DatasetName = baseOptions.DatasetPath is null ? baseOptions.DatasetName : "trtllm_custom",
            NumPrompts = prompts,
            MaxConcurrency = concurrency,
            TrustRemoteCode = true,
            IgnoreEos = true,
            NoTestInput = true,
            SaveResult = true,
            ResultDir = resultDir,
            ResultFilename = "result.json",
            PercentileMetrics = "ttft,tpot,itl,e2el",
        };
        BenchmarkCli.Validate(options);
        return options;
    }
}
