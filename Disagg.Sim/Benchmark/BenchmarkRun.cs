using System.Diagnostics;
using Disagg.Sim.Benchmark.Client;
using Disagg.Sim.Benchmark.Datasets;
using Disagg.Sim.Benchmark.Metrics;
using Disagg.Sim.Benchmark.Output;
using Disagg.Sim.Common;

namespace Disagg.Sim.Benchmark;

/// <summary>
/// One benchmark_serving invocation: prints the same lines in the same order as the Python client, sends the prompts
/// with at most <c>max_concurrency</c> in flight, prints the result block and optionally saves result.json.
/// </summary>
internal sealed class BenchmarkRun(HttpClient http, BenchmarkOptions options)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var stdout = Console.Out;
        stdout.WriteLine(BenchmarkNamespace.Render(options));
        var samples = LoadSamples();
        if (samples.Count == 0)
        {
            throw new ConfigException($"{options.DatasetPath}: the dataset has no requests");
        }

        await ServerProbe.EnsureReachableAsync(http, options.BaseUrl ?? $"http://{options.Host}:{options.Port}", cancellationToken).ConfigureAwait(false);
        var client = new OpenAiClient(http, options);
        OpenAiClient.WarmUpParser();
        await RunTestPromptAsync(client, samples[0], cancellationToken).ConfigureAwait(false);

        stdout.WriteLine($"Traffic request rate: {PythonFloat.Repr(options.RequestRate)}");
        var distribution = options.Burstiness == 1.0 ? "Poisson process" : "Gamma distribution";
        stdout.WriteLine($"Burstiness factor: {PythonFloat.Repr(options.Burstiness)} ({distribution})");
        stdout.WriteLine("Maximum request concurrency: " +
            $"{(options.MaxConcurrency is { } c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "None")}");
        stdout.Flush();

        var started = Stopwatch.GetTimestamp();
        var outcomes = await SendAllAsync(client, samples, cancellationToken).ConfigureAwait(false);
        var duration = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var metrics = MetricsCalculator.Calculate(outcomes, duration, options.SelectedPercentiles);
        foreach (var (type, count) in metrics.ErrorCounts)
        {
            stdout.WriteLine($"Error type: {type}, Count: {count} requests");
        }

        if (!options.SaClient) stdout.WriteLine($"Total failed requests: {metrics.ErrorCounts.Sum(e => e.Value)}");
        stdout.Write(ResultBlockFormatter.Format(metrics, options.SelectedMetrics, options.SaClient));
        stdout.Flush();
        if (options.SaveResult)
        {
            await SaveAsync(metrics, outcomes, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private IReadOnlyList<SampleRequest> LoadSamples() => options.DatasetName == "trtllm_custom"
        ? CustomDataset.Sample(options.DatasetPath!, options.NumPrompts, options.Seed)
        : RandomDataset.Sample(options.NumPrompts, options.RandomPrefixLen, options.RandomInputLen, options.RandomOutputLen, options.RandomRangeRatio,
            options.Seed, options.SaClient);

    private async Task RunTestPromptAsync(OpenAiClient client, SampleRequest first, CancellationToken cancellationToken)
    {
        if (options.NoTestInput)
        {
            Console.Out.WriteLine("Skipping initial test run. Starting main benchmark run...");
            return;
        }

        Console.Out.WriteLine("Starting initial single prompt test run...");
        var outcome = await client.SendAsync(first, cancellationToken).ConfigureAwait(false);
        if (!outcome.Success)
        {
            throw new PythonError(
                "ValueError",
                $"Initial test run failed - Please make sure benchmark arguments are correctly specified. Error: {outcome.Error}",
                [
                    "  File \"/usr/local/lib/python3.12/dist-packages/tensorrt_llm/serve/scripts/benchmark_serving.py\", line 369, in benchmark",
                    "    raise ValueError(",
                ]);
        }

        Console.Out.WriteLine("Initial test run completed. Starting main benchmark run...");
    }

    private async Task<RequestOutcome[]> SendAllAsync(OpenAiClient client, IReadOnlyList<SampleRequest> samples, CancellationToken cancellationToken)
    {
        var progress = options.DisableTqdm ? null : new ProgressBar(Console.Error, samples.Count);
        using var limiter = options.MaxConcurrency is { } limit ? new SemaphoreSlim(limit) : null;
        var arrivals = new ArrivalSchedule(options.RequestRate, options.Burstiness, options.Seed);
        var tasks = new List<Task<RequestOutcome>>(samples.Count);
        foreach (var sample in samples)
        {
            tasks.Add(SendLimitedAsync(client, sample, limiter, progress, cancellationToken));
            if (!arrivals.IsImmediate)
            {
                await Task.Delay(arrivals.NextInterval(), cancellationToken).ConfigureAwait(false);
            }
        }

        var outcomes = await Task.WhenAll(tasks).ConfigureAwait(false);
        progress?.Close();
        return outcomes;
    }

    private static async Task<RequestOutcome> SendLimitedAsync(
        OpenAiClient client, SampleRequest sample, SemaphoreSlim? limiter, ProgressBar? progress, CancellationToken cancellationToken)
    {
        if (limiter is not null)
        {
            await limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await client.SendAsync(sample, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            limiter?.Release();
            progress?.Increment();
        }
    }

    private async Task SaveAsync(BenchmarkMetrics metrics, IReadOnlyList<RequestOutcome> outcomes, CancellationToken cancellationToken)
    {
        var now = DateTime.Now;
        var fileName = options.ResultFilename ?? DefaultFileName(now);
        var path = options.ResultDir is null ? fileName : Path.Combine(options.ResultDir, fileName);
        var json = PyJson.Serialize(ResultJsonBuilder.Build(options, metrics, outcomes, now));
        await File.WriteAllTextAsync(path, json, cancellationToken).ConfigureAwait(false);
    }

    private string DefaultFileName(DateTime now)
    {
        var concurrency = options.MaxConcurrency is { } c ? $"-concurrency{c}" : string.Empty;
        // The model comes from the job's config: only letters, digits and _ . - of its last segment make the file name.
        var model = new string([.. options.Model.Split('/')[^1].Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_')]).TrimStart('.');
        return $"{options.Backend}-{PythonFloat.Repr(options.RequestRate)}qps{concurrency}-{model}-" +
            $"{now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)}.json";
    }
}
