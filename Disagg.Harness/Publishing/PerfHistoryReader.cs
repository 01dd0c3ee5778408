using System.Data.Common;
using System.Globalization;
using System.Text.Json;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Reads the Perf DB for people (<c>disagg trend</c>, <c>pareto</c>, <c>compare</c>), the same SQL on PostgreSQL and the
/// embedded SQLite file. Every query is bounded by an index of migration 4: a test's newest runs walk
/// <c>perf_tests (test_id, run_at)</c>, a run's rows the primary keys' <c>run_id</c> prefix. Metric rows are averaged per
/// (run, test, concurrency, metric), so the reads stay right when a run stores several samples of one key. Opening applies
/// missing migrations, so an older or empty database reads as history (possibly none), never as an error.
/// </summary>
public sealed class PerfHistoryReader(PerfDbStore store)
{
    /// <summary>The per-GPU output throughput (<c>perf_results.output_tps_per_gpu</c>) as a pseudo-metric name.</summary>
    public const string PerGpuMetric = "output_tps_per_gpu";

    public string Display => store.Display;

    private const string TestColumns = """
        t.run_id, t.test_id, COALESCE(t.run_at, t.finished_at, t.started_at, t.uploaded_at), t.passed, CAST(t.problems AS TEXT),
        t.job_state, t.job_nodes, t.git_commit, t.container_image, t.gpu_type, t.model, t.isl, t.osl, t.category, t.cluster, t.benchmark_mode,
        t.failure_class
        """;

    /// <summary>The distinct test ids the filter selects, in name order.</summary>
    public async Task<IReadOnlyList<string>> TestIdsAsync(HistoryFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT DISTINCT t.test_id FROM perf_tests t WHERE {Where(cmd, filter)} ORDER BY t.test_id";
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>
    /// The newest <paramref name="last"/> runs of one test the filter selects (before <paramref name="before"/> when
    /// given, passing only when asked), oldest first.
    /// </summary>
    public async Task<IReadOnlyList<HistoryTest>> RecentAsync(string testId, HistoryFilter filter, int last, CancellationToken cancellationToken,
        DateTimeOffset? before = null, bool passedOnly = false, IReadOnlyCollection<string>? excludeRuns = null)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var tests = await RecentAsync(connection, testId, filter, last, before, passedOnly, excludeRuns, cancellationToken).ConfigureAwait(false);
        return tests;
    }

    /// <summary>The newest <paramref name="last"/> tests (any test id) the filter selects, oldest first.</summary>
    public async Task<IReadOnlyList<HistoryTest>> TestsAsync(HistoryFilter filter, int last, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT {TestColumns} FROM perf_tests t WHERE {Where(cmd, filter)}
            ORDER BY COALESCE(t.run_at, t.uploaded_at) DESC, t.test_id LIMIT @last
            """;
        Add(cmd, "last", last);
        var tests = await ReadTestsAsync(cmd, false, cancellationToken).ConfigureAwait(false);
        return [.. tests.OrderBy(t => t.At).ThenBy(t => t.TestId, StringComparer.Ordinal)];
    }

    /// <summary>The tests of one run with their stored configs; empty when the run id is not in the database.</summary>
    public async Task<IReadOnlyList<HistoryTest>> RunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {TestColumns}, CAST(t.config AS TEXT) FROM perf_tests t WHERE t.run_id = @run ORDER BY t.test_id";
        Add(cmd, "run", runId);
        return await ReadTestsAsync(cmd, true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every metric of one run (and the per-GPU throughput), or only <paramref name="metrics"/> when given.</summary>
    public async Task<IReadOnlyList<HistoryValue>> RunValuesAsync(string runId, IReadOnlyList<string>? metrics, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var values = new List<HistoryValue>();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"""
                SELECT m.run_id, m.test_id, m.concurrency, m.metric, AVG(m.value) FROM perf_metrics m
                WHERE m.run_id = @run{MetricFilter(cmd, metrics)}
                GROUP BY m.run_id, m.test_id, m.concurrency, m.metric
                """;
            Add(cmd, "run", runId);
            values.AddRange(await ReadValuesAsync(cmd, cancellationToken).ConfigureAwait(false));
        }
        if (metrics is null || metrics.Contains(PerGpuMetric))
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"""
                SELECT r.run_id, r.test_id, r.concurrency, '{PerGpuMetric}', AVG(r.output_tps_per_gpu) FROM perf_results r
                WHERE r.run_id = @run AND r.output_tps_per_gpu IS NOT NULL
                GROUP BY r.run_id, r.test_id, r.concurrency
                """;
            Add(cmd, "run", runId);
            values.AddRange(await ReadValuesAsync(cmd, cancellationToken).ConfigureAwait(false));
        }
        return values;
    }

    /// <summary>The metrics of one test over the given runs (the per-GPU throughput too when asked for).</summary>
    public async Task<IReadOnlyList<HistoryValue>> ValuesAsync(string testId, IReadOnlyCollection<string> runIds, IReadOnlyList<string> metrics,
        CancellationToken cancellationToken)
    {
        if (runIds.Count == 0 || metrics.Count == 0) return [];
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ValuesAsync(connection, testId, runIds, metrics, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// For every test of <paramref name="runId"/>: the metrics of its newest <paramref name="window"/> passing runs before
    /// <paramref name="before"/>, other than <paramref name="exclude"/>: the noise compare measures a delta against.
    /// </summary>
    public async Task<IReadOnlyList<HistoryValue>> NoiseHistoryAsync(IReadOnlyList<string> testIds, DateTimeOffset before, int window,
        IReadOnlyList<string> metrics, IReadOnlyCollection<string> exclude, CancellationToken cancellationToken)
    {
        if (testIds.Count == 0) return [];
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // One walk back over perf_tests (run_at) usually finds every test's last runs at once: runs carry the same tests.
        var picked = testIds.ToDictionary(t => t, _ => new List<string>(), StringComparer.Ordinal);
        await using (var cmd = connection.CreateCommand())
        {
            var tests = Names(cmd, "t", testIds);
            var excluded = exclude.ToList();
            var notExcluded = string.Concat(excluded.Select((x, i) => $" AND t.run_id <> @x{i}"));
            for (var i = 0; i < excluded.Count; i++) Add(cmd, $"x{i}", excluded[i]);
            Add(cmd, "before", store.Timestamp(before));
            Add(cmd, "n", window * testIds.Count * 2);
            cmd.CommandText = $"""
                SELECT t.run_id, t.test_id FROM perf_tests t
                WHERE t.run_at < @before AND t.passed AND t.test_id IN ({tests}){notExcluded}
                ORDER BY t.run_at DESC LIMIT @n
                """;
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                if (picked[reader.GetString(1)] is { } runs && runs.Count < window) runs.Add(reader.GetString(0));
        }
        // Tests that walk did not fill (run less often than the others) get their own indexed lookup.
        foreach (var (test, runs) in picked.Where(p => p.Value.Count < window).ToList())
        {
            var recent = await RecentAsync(connection, test, new HistoryFilter(), window, before, true, exclude, cancellationToken).ConfigureAwait(false);
            picked[test] = [.. recent.Select(r => r.RunId)];
        }
        var pairs = picked.SelectMany(p => p.Value.Select(r => (Run: r, Test: p.Key))).ToHashSet();
        if (pairs.Count == 0) return [];
        var values = new List<HistoryValue>();
        foreach (var chunk in pairs.Select(p => p.Run).Distinct(StringComparer.Ordinal).Chunk(200))
            foreach (var value in await ValuesAsync(connection, testIds, chunk, metrics, cancellationToken).ConfigureAwait(false))
                if (pairs.Contains((value.RunId, value.TestId))) values.Add(value);
        return values;
    }

    /// <summary>
    /// The rolling baseline of a run: the newest earlier run that ran at least one of its tests, all of them passing, or
    /// null. (An approved-baseline store would answer first; see docs/history.md.)
    /// </summary>
    public async Task<string?> PreviousPassingRunAsync(string runId, CancellationToken cancellationToken)
    {
        var tests = await RunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (tests.Count == 0) return null;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        var names = tests.Select((t, i) => (t.TestId, Name: $"t{i}")).ToList();
        foreach (var (test, name) in names) Add(cmd, name, test);
        Add(cmd, "run", runId);
        Add(cmd, "before", store.Timestamp(tests.Min(t => t.At)));
        cmd.CommandText = $"""
            SELECT t.run_id FROM perf_tests t
            WHERE t.test_id IN ({string.Join(", ", names.Select(n => "@" + n.Name))}) AND t.run_id <> @run
              AND COALESCE(t.run_at, t.uploaded_at) < @before
            GROUP BY t.run_id
            HAVING SUM(CASE WHEN t.passed THEN 0 ELSE 1 END) = 0
            ORDER BY MAX(COALESCE(t.run_at, t.uploaded_at)) DESC
            LIMIT 1
            """;
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    private bool _migrated;

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated) await PerfDbMigrations.ApplyAsync(store, connection, cancellationToken).ConfigureAwait(false);
            _migrated = true;
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<IReadOnlyList<HistoryTest>> RecentAsync(DbConnection connection, string testId, HistoryFilter filter, int last,
        DateTimeOffset? before, bool passedOnly, IReadOnlyCollection<string>? excludeRuns, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        var where = Where(cmd, filter with { TestId = testId });
        if (before is { } b)
        {
            where += " AND t.run_at < @before";
            Add(cmd, "before", store.Timestamp(b));
        }
        if (passedOnly) where += " AND t.passed";
        var excluded = (excludeRuns ?? []).ToList();
        for (var i = 0; i < excluded.Count; i++)
        {
            where += $" AND t.run_id <> @x{i}";
            Add(cmd, $"x{i}", excluded[i]);
        }
        cmd.CommandText = $"SELECT {TestColumns} FROM perf_tests t WHERE {where} ORDER BY t.run_at DESC LIMIT @last";
        Add(cmd, "last", last);
        var tests = await ReadTestsAsync(cmd, false, cancellationToken).ConfigureAwait(false);
        return [.. tests.Reverse()];
    }

    private Task<IReadOnlyList<HistoryValue>> ValuesAsync(DbConnection connection, string testId, IReadOnlyCollection<string> runIds,
        IReadOnlyList<string> metrics, CancellationToken cancellationToken) =>
        ValuesAsync(connection, [testId], runIds, metrics, cancellationToken);

    /// <summary>The metrics of the given tests over the given runs: one query on each table's primary key.</summary>
    private static async Task<IReadOnlyList<HistoryValue>> ValuesAsync(DbConnection connection, IReadOnlyCollection<string> testIds,
        IReadOnlyCollection<string> runIds, IReadOnlyList<string> metrics, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0 || testIds.Count == 0) return [];
        var values = new List<HistoryValue>();
        if (metrics.Any(m => m != PerGpuMetric))
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"""
                SELECT m.run_id, m.test_id, m.concurrency, m.metric, AVG(m.value) FROM perf_metrics m
                WHERE m.run_id IN ({Names(cmd, "r", runIds)}) AND m.test_id IN ({Names(cmd, "t", testIds)}){MetricFilter(cmd, metrics)}
                GROUP BY m.run_id, m.test_id, m.concurrency, m.metric
                """;
            values.AddRange(await ReadValuesAsync(cmd, cancellationToken).ConfigureAwait(false));
        }
        if (metrics.Contains(PerGpuMetric))
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"""
                SELECT r.run_id, r.test_id, r.concurrency, '{PerGpuMetric}', AVG(r.output_tps_per_gpu) FROM perf_results r
                WHERE r.run_id IN ({Names(cmd, "r", runIds)}) AND r.test_id IN ({Names(cmd, "t", testIds)}) AND r.output_tps_per_gpu IS NOT NULL
                GROUP BY r.run_id, r.test_id, r.concurrency
                """;
            values.AddRange(await ReadValuesAsync(cmd, cancellationToken).ConfigureAwait(false));
        }
        return values;
    }

    /// <summary>Binds <paramref name="values"/> as @prefix0, @prefix1, ... and returns the list for an IN clause.</summary>
    private static string Names(DbCommand cmd, string prefix, IEnumerable<string> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = $"{prefix}{names.Count}";
            Add(cmd, name, value);
            names.Add("@" + name);
        }
        return string.Join(", ", names);
    }

    private static string MetricFilter(DbCommand cmd, IReadOnlyList<string>? metrics)
    {
        if (metrics is null) return "";
        var names = metrics.Where(m => m != PerGpuMetric).ToList();
        if (names.Count == 0) return " AND 1 = 0";
        for (var i = 0; i < names.Count; i++) Add(cmd, $"m{i}", names[i]);
        return $" AND m.metric IN ({string.Join(", ", names.Select((_, i) => $"@m{i}"))})";
    }

    private static string Where(DbCommand cmd, HistoryFilter filter)
    {
        var clauses = new List<string> { "1 = 1" };
        void Clause(string? value, string sql, string name)
        {
            if (value is null) return;
            clauses.Add(sql);
            Add(cmd, name, value);
        }
        Clause(filter.TestId, "t.test_id = @test", "test");
        Clause(filter.Model, "t.model = @model", "model");
        Clause(filter.GpuType?.ToLowerInvariant(), "LOWER(t.gpu_type) = @gpu", "gpu");
        Clause(filter.Cluster, "t.cluster = @cluster", "cluster");
        Clause(filter.Category, "t.category = @category", "category");
        return string.Join(" AND ", clauses);
    }

    private static async Task<IReadOnlyList<HistoryTest>> ReadTestsAsync(DbCommand cmd, bool withConfig, CancellationToken cancellationToken)
    {
        var tests = new List<HistoryTest>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string Text(int i) => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
            int? Int(int i) => reader.IsDBNull(i) ? null : Convert.ToInt32(reader.GetValue(i), CultureInfo.InvariantCulture);
            var at = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(2).ToUniversalTime(), DateTimeKind.Utc));
            var problems = JsonSerializer.Deserialize<List<string>>(Text(4) is { Length: > 0 } p ? p : "[]") ?? [];
            tests.Add(new HistoryTest(Text(0), Text(1), at, Convert.ToBoolean(reader.GetValue(3), CultureInfo.InvariantCulture), problems,
                reader.IsDBNull(5) ? null : Text(5), reader.IsDBNull(6) ? null : Text(6), Text(7), Text(8), Text(9), Text(10), Int(11), Int(12),
                Text(13), Text(14), Text(15))
            {
                FailureClass = Text(16),
                ConfigJson = withConfig ? Text(17) : "",
            });
        }
        return tests;
    }

    private static async Task<IReadOnlyList<HistoryValue>> ReadValuesAsync(DbCommand cmd, CancellationToken cancellationToken)
    {
        var values = new List<HistoryValue>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            values.Add(new HistoryValue(reader.GetString(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
                reader.GetString(3), Convert.ToDouble(reader.GetValue(4), CultureInfo.InvariantCulture)));
        return values;
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
