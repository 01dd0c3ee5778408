using System.Globalization;
using Disagg.Harness.Publishing;

namespace Disagg.Harness.Cli;

/// <summary>
/// <c>disagg nodes</c>: the bad-node ledger (<see cref="NodeLedger"/>) of the Perf DB the environment names
/// (<c>DISAGG_PERFDB_CONNECTION</c>, else <c>DISAGG_PERFDB_SQLITE</c>, else <c>&lt;results-dir&gt;/perfdb.sqlite</c>): every node with
/// infrastructure failures in the window, most first, marked <c>SUSPECT</c> at the threshold --avoid-suspect-nodes uses,
/// each failure with its run, test, job, cause and log line. Exit 0 (also with no failures), 2 when no Perf DB is configured.
/// </summary>
public static class NodesCommand
{
    public sealed record Options(string ResultsDir, string? Cluster, int Days, int Threshold);

    public static async Task<int> RunAsync(Options options, IReadOnlyDictionary<string, string> env, TimeProvider time, TextWriter output,
        TextWriter error, CancellationToken cancellationToken)
    {
        if (Store(env, options.ResultsDir, "nodes", error) is not { } store) return ExitCodes.BadInput;
        var ledger = new NodeLedger(store);
        var since = time.GetUtcNow() - TimeSpan.FromDays(options.Days);
        var nodes = await ledger.NodesAsync(since, Math.Max(1, options.Threshold), options.Cluster, cancellationToken).ConfigureAwait(false);
        var scope = options.Cluster is { Length: > 0 } c ? $"cluster {c}" : "every cluster";
        output.WriteLine($"bad-node ledger {ledger.Display}: {scope}, last {options.Days} day(s), suspect at {options.Threshold}+ infrastructure failure(s)");
        if (nodes.Count == 0)
        {
            output.WriteLine("no infrastructure failures recorded");
            return ExitCodes.Ok;
        }
        foreach (var node in nodes)
        {
            output.WriteLine($"{node.Node,-16} {node.Failures.Count,3} failure(s)  last {node.Last.ToString("u", CultureInfo.InvariantCulture)}"
                             + (node.OverThreshold ? "  SUSPECT" : ""));
            foreach (var f in node.Failures)
                output.WriteLine($"    {f.At.ToString("u", CultureInfo.InvariantCulture)}  {f.Cluster}  run {f.RunId}  {f.TestId}  job {f.JobId}: {f.Cause}"
                                 + (f.Evidence.Length > 0 ? $"\n        {f.Evidence}" : ""));
        }
        return ExitCodes.Ok;
    }

    /// <summary>The Perf DB as the environment names it, or null with the reason written (a verb without a Perf DB has nothing to read).</summary>
    internal static PerfDbStore? Store(IReadOnlyDictionary<string, string> env, string resultsDir, string verb, TextWriter error)
    {
        try
        {
            if (PerfDbSettings.Connection(env) is null && env.GetValueOrDefault(SqlitePerfDb.PathVariable) is not { Length: > 0 }
                && !File.Exists(SqlitePerfDb.InResults(resultsDir).Path))
            {
                error.WriteLine($"{verb}: no Perf DB: set {PerfDbSettings.ConnectionVariable} (PostgreSQL) or {SqlitePerfDb.PathVariable} (a SQLite file), "
                                + $"or pass --results-dir of a run that wrote {SqlitePerfDb.FileName}");
                return null;
            }
            return PerfDbSettings.Store(env, resultsDir) ?? Fail($"{PerfDbSettings.EnableVariable} is false");
        }
        catch (UploadException e)
        {
            return Fail(e.Message);
        }

        PerfDbStore? Fail(string why)
        {
            error.WriteLine($"{verb}: {why}");
            return null;
        }
    }
}
