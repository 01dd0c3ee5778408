using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Disagg.Sim.Tests.Support;

namespace Disagg.Sim.Tests.Integration;

/// <summary>SIM_FAULT behaviours, readiness, signals and CLI errors, each against real child processes.</summary>
[TestFixture]
[NonParallelizable]
public sealed class FaultInjectionTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task FailRequestsFaultFailsEveryRequestButExitsZero(CancellationToken cancellationToken)
    {
        var healthy = new Dictionary<string, string> { ["SIM_LOAD_MS"] = "100" };
        var failing = new Dictionary<string, string> { ["SIM_LOAD_MS"] = "100", ["SIM_FAULT"] = "fail_requests:1.0" };
        await using var cluster = await SimCluster.StartAsync(healthy, failing, cancellationToken);
        await using var bench = cluster.StartBenchmark(
            "--random-input-len", "16", "--random-output-len", "4", "--num-prompts", "8", "--max-concurrency", "4",
            "--ignore-eos", "--no-test-input", "--percentile-metrics", "ttft,tpot,itl,e2el");

        var exitCode = await bench.WaitForExitAsync(cancellationToken);

        await TestContext.Out.WriteLineAsync($"--- benchmark\n{bench.Stdout}{bench.Stderr}"
            + $"--- gen worker\n{cluster.Generation.Stdout}{cluster.Generation.Stderr}--- server\n{cluster.Server.Stdout}");
        var block = ResultBlockParser.ParseAll(bench.Stdout).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, "the real client exits 0 even when requests fail");
            Assert.That(block["Total requests:"], Is.EqualTo(8));
            Assert.That(block["Failed requests:"], Is.EqualTo(block["Total requests:"]));
            Assert.That(bench.Stdout, Does.Contain("=======================!FAILED REQUESTS!======================="));
            Assert.That(bench.Stdout, Does.Contain("HTTP Error 500: "));
            Assert.That(cluster.Server.Stdout, Does.Contain("ERROR:    Error in disaggregated request"));
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task WorkerAnswers503WhileLoadingThenStopsWithinASecondOfSigterm(CancellationToken cancellationToken)
    {
        using var dir = new TempDir();
        var port = Net.FreePort();
        var config = dir.Write("gen.yaml", "max_batch_size: 8\n");
        await using var worker = SimProcess.Start(Worker(port, config), new Dictionary<string, string> { ["SIM_LOAD_MS"] = "1500" });
        using var http = Net.Client();
        var url = $"http://127.0.0.1:{port}/health";

        (int Status, string Body)? loading;
        while ((loading = await Net.TryGetAsync(http, url, cancellationToken)) is null)
        {
            await Task.Delay(20, cancellationToken);
        }

        await Net.WaitForHealthyAsync(http, url, cancellationToken);
        await worker.WaitForOutputAsync("INFO:     Application startup complete.", cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        worker.SendSigterm();
        var exitCode = await worker.WaitForExitAsync(cancellationToken);
        stopwatch.Stop();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(loading!.Value.Status, Is.EqualTo(503));
            Assert.That(loading.Value.Body, Is.EqualTo("LLM is unavailable. Please check the server logs for more details."));
            Assert.That(worker.Stdout, Does.StartWith("INFO:     Started server process ["));
            Assert.That(exitCode, Is.Zero);
            Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "SIGTERM must stop the worker within a second");
            Assert.That(worker.Stdout, Does.Contain("INFO:     Finished server process ["));
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PortInUseFailsWithTrtllmsBindError(CancellationToken cancellationToken)
    {
        using var dir = new TempDir();
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        await using var worker = SimProcess.Start(Worker(port, dir.Write("gen.yaml", "{}\n")));

        var exitCode = await worker.WaitForExitAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(worker.Stderr, Does.StartWith("Traceback (most recent call last):"));
            Assert.That(worker.Stderr, Does.EndWith($"RuntimeError: Failed to bind socket to 127.0.0.1:{port}: [Errno 98] Address already in use\n"));
        }
    }

    [TestCase("crash_on_start", "RuntimeError: Executor worker returned error")]
    [TestCase("oom_on_start", "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ")]
    [TestCase("bind_fail", "RuntimeError: Failed to bind socket to 127.0.0.1:")]
    [CancelAfter(20_000)]
    public async Task StartupFaultsPrintAPythonTracebackAndExitOne(string fault, string finalLine, CancellationToken cancellationToken)
    {
        using var dir = new TempDir();
        await using var worker = SimProcess.Start(Worker(Net.FreePort(), dir.Write("gen.yaml", "{}\n")),
            new Dictionary<string, string> { ["SIM_FAULT"] = fault });

        var exitCode = await worker.WaitForExitAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(worker.Stderr, Does.Contain("Traceback (most recent call last):\n"));
            Assert.That(worker.Stderr.TrimEnd('\n').Split('\n')[^1], Does.StartWith(finalLine));
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task DisaggServerTimesOutWhenAWorkerNeverBecomesHealthy(CancellationToken cancellationToken)
    {
        using var dir = new TempDir();
        var ports = Net.FreePorts(2);
        int workerPort = ports[0], serverPort = ports[1];
        await using var worker = SimProcess.Start(Worker(workerPort, dir.Write("w.yaml", "{}\n")),
            new Dictionary<string, string> { ["SIM_LOAD_MS"] = "0", ["SIM_FAULT"] = "hang_on_start" });
        var urls = string.Create(CultureInfo.InvariantCulture, $"  urls: ['127.0.0.1:{workerPort}']\n");
        var config = dir.Write("server.yaml", string.Create(CultureInfo.InvariantCulture,
            $"context_servers:\n{urls}generation_servers:\n{urls}hostname: 127.0.0.1\nport: {serverPort}\n"));
        await using var server = SimProcess.Start(["disagg-server", "-c", config, "-t", "2"]);

        var exitCode = await server.WaitForExitAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(server.Stdout, Does.Contain("Waiting for context and generation servers to be ready"));
            Assert.That(server.Stderr, Does.Contain("TimeoutError: Timeout waiting for context and generation servers to be ready\n"));
            Assert.That(server.Stdout, Does.Not.Contain("Application startup complete."));
        }
    }

    [TestCase(new[] { "benchmark", "--model", "m", "--num-promts", "3" },
        "benchmark: error: unrecognized argument '--num-promts' for 'benchmark' (did you mean '--num-prompts'?)")]
    [TestCase(new[] { "wroker", "--port", "1" }, "error: unknown command 'wroker' (did you mean 'worker'?); run with --help to list commands")]
    [TestCase(new[] { "benchmark", "--model", "m", "--concurrency-list", "1,2", "--log-path", "x" },
        "benchmark: error: argument --concurrency-list: '1,2' contains a comma; separate values with spaces, e.g. '1 2' "
            + "(run_benchmark.sh would silently run only the last value)")]
    [CancelAfter(20_000)]
    public async Task UsageErrorsAreOneLineOnStderrWithExitTwo(string[] args, string expected, CancellationToken cancellationToken)
    {
        await using var sim = SimProcess.Start(args);

        var exitCode = await sim.WaitForExitAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(sim.Stderr, Is.EqualTo(expected + "\n"));
            Assert.That(sim.Stdout, Is.Empty);
        }
    }

    private static string[] Worker(int port, string config) =>
        ["worker", "--role", "gen", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--config", config];
}
