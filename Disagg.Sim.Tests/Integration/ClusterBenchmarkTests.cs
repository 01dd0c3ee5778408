using System.Text.Json;
using Disagg.Sim.Tests.Support;

namespace Disagg.Sim.Tests.Integration;

/// <summary>Benchmarks through a healthy CTX + GEN + disagg-server cluster of real child processes.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterBenchmarkTests
{
    private static readonly Dictionary<string, string> FastLoad = new() { ["SIM_LOAD_MS"] = "200" };
    private SimCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task StartClusterAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _cluster = await SimCluster.StartAsync(FastLoad, null, timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopClusterAsync() => await _cluster.DisposeAsync();

    [Test]
    [CancelAfter(30_000)]
    public async Task StreamingRunReportsEveryRequestWithPlausibleLatencies(CancellationToken cancellationToken)
    {
        // Arrange
        var resultDir = Path.Combine(_cluster.Directory, "c4");
        Directory.CreateDirectory(resultDir);
        await using var bench = _cluster.StartBenchmark(
            "--dataset-name", "random", "--random-input-len", "64", "--random-output-len", "16", "--num-prompts", "16",
            "--max-concurrency", "4", "--ignore-eos", "--no-test-input", "--percentile-metrics", "ttft,tpot,itl,e2el",
            "--save-result", "--result-dir", resultDir, "--result-filename", "result.json");

        // Act
        var exitCode = await bench.WaitForExitAsync(cancellationToken);

        // Assert
        await TestContext.Out.WriteLineAsync(bench.Stdout);
        var block = ResultBlockParser.ParseAll(bench.Stdout).Single();
        var lines = bench.Stdout.Split('\n');
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(resultDir, "result.json"), cancellationToken));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, bench.Stderr);
            Assert.That(lines[0], Does.StartWith("Namespace(backend='openai', "));
            Assert.That(lines[1..5], Is.EqualTo(new[]
            {
                "Skipping initial test run. Starting main benchmark run...", "Traffic request rate: inf",
                "Burstiness factor: 1.0 (Poisson process)", "Maximum request concurrency: 4",
            }));
            Assert.That(lines[5], Is.EqualTo("Total failed requests: 0"));
            Assert.That(block["Total requests:"], Is.EqualTo(16));
            Assert.That(block["Successful requests:"], Is.EqualTo(16));
            Assert.That(block["Failed requests:"], Is.Zero);
            Assert.That(block["Total input tokens:"], Is.EqualTo(16 * 64));
            Assert.That(block["Total generated tokens:"], Is.EqualTo(16 * 16));
            Assert.That(block["Mean TTFT (ms):"], Is.GreaterThan(0));
            // A late decode step is caught up by the next ones, so on loaded cores the mean can dip a little below the 4 ms step.
            Assert.That(block["Mean TPOT (ms):"], Is.GreaterThan(3.0), "TPOT must follow SIM_DECODE_STEP_MS (4 ms)");
            Assert.That(block["Mean TPOT (ms):"], Is.LessThan(20.0));
            Assert.That(block["Mean E2EL (ms):"], Is.GreaterThan(block["Mean TTFT (ms):"] + (15 * 4.0)));
            Assert.That(block["Mean ITL (ms):"], Is.GreaterThan(0));
            Assert.That(result.RootElement.GetProperty("completed").GetInt32(), Is.EqualTo(16));
            Assert.That(result.RootElement.GetProperty("max_concurrency").GetInt32(), Is.EqualTo(4));
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task NonStreamingChatRunReportsTtftEqualToE2elAndZeroTpot(CancellationToken cancellationToken)
    {
        await using var bench = _cluster.StartBenchmark(
            "--backend", "openai-chat", "--random-input-len", "32", "--random-output-len", "8", "--num-prompts", "6",
            "--ignore-eos", "--non-streaming", "--percentile-metrics", "ttft,tpot,itl,e2el");

        var exitCode = await bench.WaitForExitAsync(cancellationToken);

        var block = ResultBlockParser.ParseAll(bench.Stdout).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, bench.Stderr);
            Assert.That(bench.Stdout, Does.Contain("Starting initial single prompt test run...\nInitial test run completed. Starting main benchmark run...\n"));
            Assert.That(block["Successful requests:"], Is.EqualTo(6));
            Assert.That(block["Mean TTFT (ms):"], Is.EqualTo(block["Mean E2EL (ms):"]));
            Assert.That(block["Mean TPOT (ms):"], Is.Zero);
            Assert.That(block["Mean ITL (ms):"], Is.Zero);
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task LoopModeRunsEachConcurrencyTimesGenServers(CancellationToken cancellationToken)
    {
        // Arrange
        var dataset = Path.Combine(_cluster.Directory, "dataset.jsonl");
        var logPath = Path.Combine(_cluster.Directory, "loop");
        await using (var gen = SimProcess.Start(["gen-dataset", "--output", dataset, "--num", "40", "--input-len", "32", "--output-len", "4"]))
        {
            Assert.That(await gen.WaitForExitAsync(cancellationToken), Is.Zero, gen.Stderr);
        }

        // Act
        await using var bench = _cluster.StartBenchmark(
            "--dataset-path", dataset, "--concurrency-list", "1 2", "--multi-round", "2", "--num-gen-servers", "2",
            "--ucx-warmup-requests", "3", "--log-path", logPath);
        var exitCode = await bench.WaitForExitAsync(cancellationToken);

        // Assert
        var marks = bench.Stdout.Split('\n').Where(l => !l.StartsWith("Namespace(", StringComparison.Ordinal)
            && (l.Contains("ucx", StringComparison.OrdinalIgnoreCase) || l.StartsWith("Benchmark with", StringComparison.Ordinal)
                || l.StartsWith("Benchmarking with", StringComparison.Ordinal)
                || l.StartsWith("Hostname", StringComparison.Ordinal) || l.StartsWith("Starting benchmark", StringComparison.Ordinal))).ToList();
        var blocks = ResultBlockParser.ParseAll(bench.Stdout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, bench.Stderr);
            Assert.That(marks, Is.EqualTo(new[]
            {
                "warming up ucx connections with small requests... 3", "UCX warmup done",
                $"Hostname: 127.0.0.1, Port: {_cluster.ServerPort}", "Starting benchmark...",
                "Benchmarking with concurrency 2 ... 4 prompts", "Benchmark with concurrency 2 done",
                "Benchmarking with concurrency 4 ... 8 prompts", "Benchmark with concurrency 4 done",
            }));
            Assert.That(blocks.Select(b => b["Successful requests:"]), Is.EqualTo(new[] { 3.0, 4.0, 8.0 }));
            Assert.That(File.Exists(Path.Combine(logPath, "concurrency_2", "result.json")), Is.True);
            Assert.That(File.Exists(Path.Combine(logPath, "concurrency_4", "result.json")), Is.True);
        }
    }
}
