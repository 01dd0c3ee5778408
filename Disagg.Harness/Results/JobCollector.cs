using Disagg.Harness.Configuration;

namespace Disagg.Harness.Results;

/// <summary>Reads and parses a job folder the same way for a live run and for <c>disagg reevaluate</c>.</summary>
public static class JobCollector
{
    public static async Task<CollectedJob> CollectAsync(JobWorkspace workspace, DisaggConfig config, bool completed, CancellationToken cancellationToken)
    {
        var expected = ExpectedConcurrencies.Of(config);
        var (path, text, exists) = await workspace.ReadBenchmarkLogAsync(cancellationToken).ConfigureAwait(false);
        var benchmark = !config.Benchmark.EnableBenchmark ? null
            : config.Benchmark.UseAiperf ? await AiperfResults.ReadAsync(workspace, text, path, expected, cancellationToken).ConfigureAwait(false)
            : BenchmarkLogParser.Parse(text, path);
        var outputs = await workspace.ReadOutputsAsync(config, benchmark, expected, completed, cancellationToken).ConfigureAwait(false);
        return new CollectedJob(path, exists, benchmark, outputs, completed, expected, config.Benchmark.MultiRound);
    }
}
