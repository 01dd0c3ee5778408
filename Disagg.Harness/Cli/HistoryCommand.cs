using System.Globalization;
using System.Data.Common;
using Disagg.Harness.Common;
using Disagg.Harness.Publishing;
using Disagg.Harness.Reporting;

namespace Disagg.Harness.Cli;

/// <summary>
/// <c>disagg trend</c>, <c>disagg pareto</c> and <c>disagg compare</c> over the Perf DB (see docs/history.md): read with
/// <see cref="PerfHistoryReader"/>, judge and render with the pure Reporting classes, write one offline HTML file (and
/// compare's Markdown). Exit 0 done, 1 the database could not be read, 2 bad input (no or bad database, unknown run id).
/// </summary>
public static class HistoryCommand
{
    /// <summary>The run id <c>compare</c> resolves to the rolling baseline of the other run.</summary>
    public const string BaselineKeyword = "baseline";

    public static async Task<int> TrendAsync(HistoryOptions options, Func<string, string?> env, DateTimeOffset now, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        if (options.Store(env, error, "trend") is not { } store) return ExitCodes.BadInput;
        var reader = new PerfHistoryReader(store);
        return await Guard("trend", store, error, async () =>
        {
            var ids = options.Filter.TestId is { } one ? [one] : await reader.TestIdsAsync(options.Filter, cancellationToken).ConfigureAwait(false);
            var runs = new List<HistoryTest>();
            var values = new List<HistoryValue>();
            foreach (var id in ids)
            {
                var recent = await reader.RecentAsync(id, options.Filter, options.Last, cancellationToken).ConfigureAwait(false);
                runs.AddRange(recent);
                values.AddRange(await reader.ValuesAsync(id, [.. recent.Select(r => r.RunId)], options.Metrics, cancellationToken).ConfigureAwait(false));
            }
            var series = TrendAnalysis.Build(runs, values, options.Metrics);
            var path = Write(options.Out, TrendHtml.FileName, TrendHtml.Render(options.Filter.Describe(), runs, series, now));
            var regressions = series.Sum(s => s.Regressions);
            var infra = series.SelectMany(s => s.Points).Where(p => p.Mark == TrendMark.InfraFailure).Select(p => p.RunId).Distinct().Count();
            output.WriteLine($"[disagg] trend: {ids.Count} tests, {runs.Select(r => r.RunId).Distinct().Count()} runs, {series.Count} series; " +
                             $"{regressions} regression points, {infra} runs with infra failures; wrote {path}");
            if (ids.Count == 0) output.WriteLine($"[disagg] trend: no stored test matches {options.Filter.Describe()} in {store.Display}");
            return ExitCodes.Ok;
        }).ConfigureAwait(false);
    }

    public static async Task<int> ParetoAsync(HistoryOptions options, string groupBy, Func<string, string?> env, DateTimeOffset now,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        Func<HistoryTest, string>? group = groupBy switch
        {
            "run" => t => t.RunId,
            "commit" => t => t.Commit.Length > 0 ? HistoryPage.Short(t.Commit) : "(no commit)",
            "image" => t => t.Image.Length > 0 ? t.Image : "(no image)",
            "test" => t => t.TestId,
            _ => null,
        };
        if (group is null)
        {
            error.WriteLine($"pareto: --group-by '{groupBy}' is not one of run, commit, image, test");
            return ExitCodes.BadInput;
        }
        if (options.Store(env, error, "pareto") is not { } store) return ExitCodes.BadInput;
        var reader = new PerfHistoryReader(store);
        return await Guard("pareto", store, error, async () =>
        {
            var tests = (await reader.TestsAsync(options.Filter, options.Last, cancellationToken).ConfigureAwait(false)).Where(t => t.Passed).ToList();
            var points = new List<(HistoryTest Test, ParetoPoint Point)>();
            foreach (var byTest in tests.GroupBy(t => t.TestId))
            {
                var values = await reader.ValuesAsync(byTest.Key, [.. byTest.Select(t => t.RunId)], ["user_throughput", PerfHistoryReader.PerGpuMetric],
                    cancellationToken).ConfigureAwait(false);
                foreach (var t in byTest)
                    foreach (var c in values.Where(v => v.RunId == t.RunId).GroupBy(v => v.Concurrency))
                        if (c.FirstOrDefault(v => v.Metric == "user_throughput") is { } user
                            && c.FirstOrDefault(v => v.Metric == PerfHistoryReader.PerGpuMetric) is { } perGpu)
                            points.Add((t, new ParetoPoint(group(t), t.RunId, t.TestId, c.Key, user.Value, perGpu.Value)));
            }
            var families = points.GroupBy(p => p.Test.Family).OrderBy(f => f.Key, StringComparer.Ordinal)
                .Select(f => new ParetoFamily(f.Key, [.. f.Select(p => p.Point)])).ToList();
            var path = Write(options.Out, ParetoHtml.FileName, ParetoHtml.Render(options.Filter.Describe(), groupBy, families, now));
            output.WriteLine($"[disagg] pareto: {families.Count} config families, {points.Count} points, " +
                             $"{points.Select(p => p.Point.Group).Distinct().Count()} groups by {groupBy}; wrote {path}");
            return ExitCodes.Ok;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Compares run B with run A (A may be <see cref="BaselineKeyword"/>: B's rolling baseline); writes compare.md and
    /// compare.html into <see cref="HistoryOptions.Out"/> (a folder) and prints the Markdown.
    /// </summary>
    public static async Task<int> CompareAsync(string runA, string runB, HistoryOptions options, int window, Func<string, string?> env,
        DateTimeOffset now, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        await CompareAsync(runA, runB, options, window, env, now, output, error, null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// <c>compare &lt;run A&gt; --results-dir DIR</c>, what <c>run_disagg_test.sh --compare-to</c> calls at the end of a run: run B
    /// is the run of the results folder (DISAGG_RUN_ID, else the folder's name, spelt as the run spelt it), the files go
    /// into the folder and the Markdown is appended to its summary.md.
    /// </summary>
    public static async Task<int> CompareResultsAsync(string runA, string resultsDir, HistoryOptions options, int window, Func<string, string?> env,
        DateTimeOffset now, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(resultsDir))
        {
            error.WriteLine($"compare: results directory '{resultsDir}' does not exist");
            return ExitCodes.BadInput;
        }
        string runB;
        try
        {
            runB = RunIds.Resolve(env(RunIds.Variable), Path.GetFullPath(resultsDir));
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"compare: {e.Message}");
            return ExitCodes.BadInput;
        }
        return await CompareAsync(runA, runB, options with { Out = resultsDir }, window, env, now, output, error,
            Path.Combine(resultsDir, "summary.md"), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> CompareAsync(string runA, string runB, HistoryOptions options, int window, Func<string, string?> env,
        DateTimeOffset now, TextWriter output, TextWriter error, string? summary, CancellationToken cancellationToken)
    {
        foreach (var id in new[] { runA, runB })
            if (!RunIds.IsSanitized(id))
            {
                error.WriteLine($"compare: '{id}' is not a run id (letters, digits and _ . - only); pass the run's {RunIds.Variable} " +
                                "or its results folder's name");
                return ExitCodes.BadInput;
            }
        if (options.Store(env, error, "compare") is not { } store) return ExitCodes.BadInput;
        var reader = new PerfHistoryReader(store);
        return await Guard("compare", store, error, async () =>
        {
            var testsB = await reader.RunAsync(runB, cancellationToken).ConfigureAwait(false);
            if (testsB.Count == 0) return Unknown(runB, store, error);
            if (runA == BaselineKeyword)
            {
                if (await ApprovedRunAsync(store, testsB, cancellationToken).ConfigureAwait(false) is { } approved)
                {
                    error.WriteLine($"compare: baseline is {approved.RunId}, approved by {approved.ApprovedBy} on " +
                                    approved.ApprovedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + $" for {approved.TestId} ({approved.Reason})");
                    runA = approved.RunId;
                }
                else if (await reader.PreviousPassingRunAsync(runB, cancellationToken).ConfigureAwait(false) is not { } previous)
                {
                    error.WriteLine($"compare: no earlier run of {runB}'s tests passed completely in {store.Display}; nothing to compare with");
                    return ExitCodes.BadInput;
                }
                else runA = previous;
            }
            var testsA = await reader.RunAsync(runA, cancellationToken).ConfigureAwait(false);
            if (testsA.Count == 0) return Unknown(runA, store, error);
            var valuesA = await reader.RunValuesAsync(runA, options.Metrics, cancellationToken).ConfigureAwait(false);
            var valuesB = await reader.RunValuesAsync(runB, options.Metrics, cancellationToken).ConfigureAwait(false);
            // The noise: the passing runs before the later of the two (the earlier one included: it is a run like the others).
            var (later, before) = testsB.Min(t => t.At) >= testsA.Min(t => t.At) ? (runB, testsB.Min(t => t.At)) : (runA, testsA.Min(t => t.At));
            var shared = testsB.Select(t => t.TestId).Intersect(testsA.Select(t => t.TestId)).ToList();
            var history = await reader.NoiseHistoryAsync(shared, before, window, options.Metrics, [later], cancellationToken).ConfigureAwait(false);
            var comparison = RunComparison.Build(runA, runB, testsA, testsB, valuesA, valuesB, history, window);
            var markdown = CompareMarkdown.Render(comparison);
            var md = Write(options.Out, CompareMarkdown.FileName, markdown, folder: true);
            var html = Write(options.Out, CompareHtml.FileName, CompareHtml.Render(comparison, now), folder: true);
            output.Write(markdown);
            if (summary is not null) File.AppendAllText(summary, (File.Exists(summary) ? "\n" : "") + markdown);
            output.WriteLine($"[disagg] compare: {runA} → {runB}: {comparison.Rows.Count} values, {comparison.SignificantRegressions} significant " +
                             $"regressions; wrote {md}, {html}");
            return ExitCodes.Ok;
        }).ConfigureAwait(false);
    }

    private static int Unknown(string runId, PerfDbStore store, TextWriter error)
    {
        error.WriteLine($"compare: run '{runId}' is not in the Perf DB {store.Display}; list stored runs with " +
                        "SELECT DISTINCT run_id FROM perf_tests, or check --db / --sqlite");
        return ExitCodes.BadInput;
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="out"/> (a file, or a folder when it is one or <paramref name="folder"/>).</summary>
    private static string Write(string @out, string fileName, string text, bool folder = false)
    {
        var path = folder || Directory.Exists(@out) || @out.EndsWith('/') ? Path.Combine(@out, fileName) : @out;
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<int> Guard(string verb, PerfDbStore store, TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            error.WriteLine($"{verb}: the Perf DB {store.Display} could not be read: {e.Message}. {store.Hint}");
            return ExitCodes.Failed;
        }
    }
    /// <summary>
    /// The newest approved baseline of any of <paramref name="testsB"/> on that test's own cluster and GPU type
    /// (<c>disagg baseline approve</c>), or null when none was approved and the rolling baseline applies.
    /// </summary>
    private static async Task<BaselineApproval?> ApprovedRunAsync(PerfDbStore store, IReadOnlyList<HistoryTest> testsB,
        CancellationToken cancellationToken)
    {
        var approvals = new BaselineApprovals(store);
        BaselineApproval? newest = null;
        foreach (var test in testsB)
            foreach (var a in await approvals.OfTestAsync(test.TestId, cancellationToken).ConfigureAwait(false))
                if (a.Cluster == test.Cluster && string.Equals(a.GpuType, test.GpuType, StringComparison.OrdinalIgnoreCase)
                    && (newest is null || a.ApprovedAt > newest.ApprovedAt))
                    newest = a;
        return newest;
    }
}
