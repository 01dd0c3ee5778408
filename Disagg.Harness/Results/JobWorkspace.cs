using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;

namespace Disagg.Harness.Results;

/// <summary>
/// Reads one job folder, on the cluster (through <see cref="IClusterFiles"/>) or a local copy. Every file name comes
/// from <see cref="JobFiles"/>, so the live judge and <c>disagg reevaluate</c> read exactly the same files.
/// </summary>
public sealed class JobWorkspace(IClusterFiles files, string root)
{
    /// <summary>Our log name first; upstream's launcher names the same client output <c>6_bench.log</c>.</summary>
    public static readonly IReadOnlyList<string> BenchmarkLogNames = [JobFiles.BenchmarkLog, "6_bench.log"];

    public string Root => root;

    public static JobWorkspace Local(string folder) => new(new LocalClusterFiles(), folder);

    public string PathOf(string name) => Path.Combine(root, name);

    public Task<bool> HasAsync(string name, CancellationToken cancellationToken) => files.ExistsAsync(PathOf(name), cancellationToken);

    /// <summary>The file's text, or null when it does not exist.</summary>
    public async Task<string?> ReadTextAsync(string name, CancellationToken cancellationToken) =>
        await HasAsync(name, cancellationToken).ConfigureAwait(false)
            ? Encoding.UTF8.GetString(await files.ReadFromAsync(PathOf(name), 0, cancellationToken).ConfigureAwait(false))
            : null;

    /// <summary>The client's log under the first name that exists; the path of our own name (and empty text) when none does.</summary>
    public async Task<(string Path, string Text, bool Exists)> ReadBenchmarkLogAsync(CancellationToken cancellationToken)
    {
        foreach (var name in BenchmarkLogNames)
            if (await ReadTextAsync(name, cancellationToken).ConfigureAwait(false) is { } text)
                return (PathOf(name), text, true);
        return (PathOf(JobFiles.BenchmarkLog), "", false);
    }

    public Task<bool> HasDoneMarkerAsync(string jobId, CancellationToken cancellationToken) => HasAsync(JobFiles.DoneMarker(jobId), cancellationToken);

    /// <summary>
    /// The outputs the judge needs: each concurrency's <c>result.json</c>, the gen servers' logs (gen_only step times)
    /// and, for a completed job only, the lm_eval logs (a failed job already says why; no "log missing" noise).
    /// </summary>
    public async Task<JobOutputs> ReadOutputsAsync(DisaggConfig config, BenchmarkLog? log, IReadOnlyList<int> expected, bool jobCompleted,
        CancellationToken cancellationToken)
    {
        string JsonName(int c) => Path.Combine(JobFiles.ConcurrencyDir(c), JobFiles.ResultJson);
        var json = new Dictionary<int, string>();
        if (log is not null)
            foreach (var c in expected.Concat(log.Blocks.Select(b => b.Concurrency)).Distinct())
                if (await ReadTextAsync(JsonName(c), cancellationToken).ConfigureAwait(false) is { } t) json[c] = t;
        var gen = new List<(string, string)>();
        if (config.Benchmark.Mode != BenchmarkMode.E2E)
            for (var i = 0; i < config.Hardware.NumGenServers; i++)
                if (await ReadTextAsync(JobFiles.WorkerLog("gen", i), cancellationToken).ConfigureAwait(false) is { } t)
                    gen.Add((PathOf(JobFiles.WorkerLog("gen", i)), t));
        var accuracy = new List<(string, string, string?)>();
        if (config.Accuracy.Enabled && jobCompleted)
            foreach (var task in config.Accuracy.Tasks)
                accuracy.Add((task.Name, PathOf(JobFiles.AccuracyLog(task.Name)),
                    await ReadTextAsync(JobFiles.AccuracyLog(task.Name), cancellationToken).ConfigureAwait(false)));
        return new JobOutputs(json, c => PathOf(JsonName(c)), gen, accuracy);
    }
}
