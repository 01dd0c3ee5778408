using System.Diagnostics;
using System.Text;
using Disagg.Sim.Benchmark.Client;
using Disagg.Sim.Benchmark.Datasets;
using Disagg.Sim.Common;

namespace Disagg.Sim.Benchmark.Aiperf;

/// <summary>
/// One <c>aiperf profile</c> run: streaming chat requests built from the mooncake_trace entries (cycled up to
/// <c>--request-count</c>), <c>--concurrency</c> workers, no new request after <c>--benchmark-duration</c> and every
/// request cancelled <c>--benchmark-grace-period</c> later, then the exports and the console summary. Differences from
/// aiperf: trace timestamps and <c>--concurrency-ramp-duration</c> are accepted but all workers start at once, and the
/// prompt of an entry is <c>input_length</c> simulator words (hash_ids only seed them).
/// </summary>
internal sealed class AiperfRun(HttpClient http, AiperfOptions options)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var trace = MooncakeTrace.Read(options.InputFile);
        var total = options.RequestCount ?? trace.Count;
        var samples = Enumerable.Range(0, total).Select(i => Sample(trace[i % trace.Count], i)).ToList();
        Directory.CreateDirectory(options.ArtifactDir);
        Console.Out.WriteLine(
            $"AIPerf (simulator) profiling {options.Url} with {total} requests from {options.InputFile} at concurrency {options.Concurrency}");
        Console.Out.Flush();

        var client = new OpenAiClient(http, new BenchmarkOptions
        {
            Model = options.Model,
            Backend = "openai-chat",
            BaseUrl = options.Url.TrimEnd('/'),
            IgnoreEos = options.IgnoreEos,
        });
        OpenAiClient.WarmUpParser();
        await WarmUpAsync(cancellationToken).ConfigureAwait(false);
        var records = new AiperfRecord?[total];
        var next = -1;
        var startWall = DateTime.UtcNow;
        var startEpochNs = (startWall - DateTime.UnixEpoch).Ticks * 100;
        var clock = Stopwatch.StartNew();
        var cancelled = false;
        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (double.IsFinite(options.BenchmarkDurationS))
        {
            hardStop.CancelAfter(TimeSpan.FromSeconds(options.BenchmarkDurationS + options.GracePeriodS));
        }

        async Task WorkerAsync()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= total || clock.Elapsed.TotalSeconds >= options.BenchmarkDurationS || hardStop.IsCancellationRequested)
                {
                    return;
                }

                records[i] = await SendAsync(client, samples[i], i, clock, hardStop.Token, cancellationToken).ConfigureAwait(false);
                cancelled |= records[i]!.ErrorType == "RequestCancellationError";
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Concurrency)).Select(_ => Task.Run(WorkerAsync, cancellationToken))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var done = records.OfType<AiperfRecord>().ToList();
        var summary = AiperfSummary.Of(done);
        var json = Path.Combine(options.ArtifactDir, AiperfExportWriter.JsonName);
        var csv = Path.Combine(options.ArtifactDir, AiperfExportWriter.CsvName);
        var utf8 = new UTF8Encoding(false);
        await File.WriteAllTextAsync(json, AiperfExportWriter.Json(summary, options, cancelled, startWall, DateTime.UtcNow), utf8, cancellationToken)
            .ConfigureAwait(false);
        await File.WriteAllTextAsync(csv, AiperfExportWriter.Csv(summary), utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(options.ArtifactDir, AiperfExportWriter.RecordsName), AiperfExportWriter.Records(done, startEpochNs), utf8,
            cancellationToken).ConfigureAwait(false);
        if (options.Ui != "none")
        {
            Console.Out.Write(AiperfConsole.Render(summary, options, json, csv));
        }

        Console.Out.Flush();
        return 0;
    }

    /// <summary>
    /// Opens the connections the workers will use (one <c>GET /health</c> each) before the clock starts, as aiperf's workers
    /// connect before profiling; an unreachable server is an error naming the URL rather than a run of failed requests.
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var health = new Uri(options.Url.TrimEnd('/') + "/health");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Concurrency)).Select(async _ =>
            {
                using var response = await http.GetAsync(health, timeout.Token).ConfigureAwait(false);
            })).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new IOException($"cannot reach {options.Url} (--url): {ex.InnerException?.Message ?? ex.Message}", ex);
        }
    }

    private async Task<AiperfRecord> SendAsync(OpenAiClient client, SampleRequest sample, int index, Stopwatch clock, CancellationToken hardStop,
        CancellationToken signal)
    {
        var start = clock.Elapsed.TotalSeconds;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(hardStop);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.RequestTimeoutS));
        RequestOutcome outcome;
        try
        {
            outcome = await client.SendAsync(sample, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!signal.IsCancellationRequested)
        {
            var type = hardStop.IsCancellationRequested ? "RequestCancellationError" : "TimeoutError";
            return new AiperfRecord(index, start, clock.Elapsed.TotalSeconds, sample.PromptLen)
            {
                ErrorType = type,
                ErrorCode = hardStop.IsCancellationRequested ? 499 : 408,
                ErrorMessage = hardStop.IsCancellationRequested
                    ? "Request was cancelled at the end of the benchmark grace period"
                    : $"Request timed out after {options.RequestTimeoutS} seconds",
            };
        }

        var end = clock.Elapsed.TotalSeconds;
        if (!outcome.Success)
        {
            return new AiperfRecord(index, start, end, sample.PromptLen)
            {
                ErrorType = outcome.ExceptionType ?? "HTTPError",
                ErrorCode = outcome.ExceptionType is null ? 500 : 0,
                ErrorMessage = outcome.Error,
            };
        }

        var outputTokens = outcome.OutputTokens > 0 ? outcome.OutputTokens : outcome.Itl.Count + 1;
        return new AiperfRecord(index, start, start + outcome.Latency, sample.PromptLen)
        {
            Success = true,
            TtftMs = outcome.Ttft * 1000,
            LatencyMs = outcome.Latency * 1000,
            OutputLength = outputTokens,
        };
    }

    private static SampleRequest Sample(MooncakeEntry entry, int index)
    {
        var seed = entry.HashIds.Count > 0 ? (int)(entry.HashIds[0] % int.MaxValue) : index;
        return new SampleRequest(WordVocabulary.RandomPrompt(new Random(seed + index), entry.InputLength), entry.InputLength, entry.OutputLength);
    }
}
