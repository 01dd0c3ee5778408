using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;

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
        return new CollectedJob(path, exists, benchmark, outputs, completed, expected, config.Benchmark.MultiRound)
        {
            ServersNeverLoaded = await NeverLoadedAsync(workspace, config, cancellationToken).ConfigureAwait(false),
        };
    }

    private static async Task<IReadOnlyList<ServerStart>> NeverLoadedAsync(JobWorkspace workspace, DisaggConfig config,
        CancellationToken cancellationToken)
    {
        var found = new List<ServerStart>();
        foreach (var name in JobFiles.ServerLogs(config.Hardware.NumCtxServers, config.Hardware.NumGenServers).Where(n => n != JobFiles.DisaggServerLog))
        {
            // A missing log is a server that was never started (gen_only runs no ctx server): nothing to judge.
            if (await workspace.ReadTextAsync(name, cancellationToken).ConfigureAwait(false) is not { } text) continue;
            if (ModelLoadEvidence.Read(name, text) is { LoadingStarted: false } start) found.Add(start);
        }
        return found;
    }
}
