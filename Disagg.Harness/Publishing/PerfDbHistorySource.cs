using System.Data.Common;
using System.Text.Json.Nodes;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Publishing;

/// <summary>
/// History from the Perf DB tables <see cref="PerfDbWriter"/> fills: per (run, concurrency) the stored document of the
/// wanted test case names that says valid, not a baseline and post-merge, of a test that had no result problem (an
/// incomplete or failed-request run never enters a baseline), with the metrics of <c>perf_metrics</c> by catalog name.
/// Keys and pinned baselines come from the document; the time is the job's end (else its start, else the upload). An
/// empty database (no schema yet) is no history, not an error. A test that failed (infrastructure, product or
/// configuration) never enters the window. When the test case has an approved baseline on the run's cluster and GPU type
/// (<see cref="BaselineApprovals"/>), the newest approval's results come back as one record pinning every baseline
/// (<c>d_baseline_*</c>), newer than the rolling history, so the regression rule judges against it.
/// </summary>
public sealed class PerfDbHistorySource(PerfDbStore store) : IHistorySource
{
    public PerfDbHistorySource(string connectionString) : this(new NpgsqlPerfDb(connectionString))
    {
    }

    public string Display => store.Display;

    private string Where(int names) => $"""
        WHERE COALESCE(t.finished_at, t.started_at, t.uploaded_at) >= @since
          AND {store.JsonArrayLength}(t.problems) = 0
          AND t.passed
          AND CAST(COALESCE(r.document->>'b_is_post_merge', 'false') AS TEXT) IN ('true', '1')
          AND CAST(COALESCE(r.document->>'b_is_valid', 'true') AS TEXT) IN ('true', '1')
          AND CAST(COALESCE(r.document->>'b_is_baseline', 'false') AS TEXT) IN ('false', '0')
          AND r.document->>'s_test_case_name' IN ({string.Join(", ", Enumerable.Range(0, names).Select(i => $"@name{i}"))})
        """;

    private string DocumentsSql(int names) => $"""
        SELECT t.run_id, r.concurrency, COALESCE(t.finished_at, t.started_at, t.uploaded_at) AS at, CAST(r.document AS TEXT)
        FROM perf_tests t
        JOIN perf_results r ON r.run_id = t.run_id AND r.test_id = t.test_id
        {Where(names)}
        """;

    private string MetricsSql(int names) => $"""
        SELECT t.run_id, m.concurrency, m.metric, m.value
        FROM perf_tests t
        JOIN perf_results r ON r.run_id = t.run_id AND r.test_id = t.test_id
        JOIN perf_metrics m ON m.run_id = r.run_id AND m.test_id = r.test_id AND m.concurrency = r.concurrency
        {Where(names)}
        """;

    public async Task<IReadOnlyList<HistoryRecord>> GetAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        var names = query.Keys.Select(k => k.TestCaseName ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return [];
        var documents = new Dictionary<(string Run, int Concurrency), (DateTimeOffset At, string Document)>();
        var metrics = new Dictionary<(string Run, int Concurrency), Dictionary<string, double>>();
        var approved = new List<(string Run, DateTimeOffset At, string Document)>();
        try
        {
            await using var connection = store.CreateConnection();
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await PerfDbMigrations.ApplyAsync(store, connection, cancellationToken).ConfigureAwait(false);
            if (query.Keys.Count > 0)
            {
                await using var cmd = Command(connection, ApprovedSql(names.Count), names, query.Since);
                Add(cmd, "cluster", query.Keys[0].Cluster ?? "");
                Add(cmd, "gpu_type", query.Keys[0].GpuType ?? "");
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    approved.Add((reader.GetString(0), BaselineApprovals.Utc(reader.GetDateTime(1)), reader.GetString(2)));
            }
            await using (var cmd = Command(connection, DocumentsSql(names.Count), names, query.Since))
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    documents[(reader.GetString(0), reader.GetInt32(1))] =
                        (new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(2).ToUniversalTime(), DateTimeKind.Utc)), reader.GetString(3));
            }
            await using (var cmd = Command(connection, MetricsSql(names.Count), names, query.Since))
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var key = (reader.GetString(0), reader.GetInt32(1));
                    if (!metrics.TryGetValue(key, out var row)) metrics[key] = row = new Dictionary<string, double>(StringComparer.Ordinal);
                    if (HistoryMetricNames.ToCatalogName(reader.GetString(2)) is { } metric) row[metric] = reader.GetDouble(3);
                }
            }
        }
        catch (Exception e) when (store.IsMissingTable(e))
        {
            return [];
        }
        catch (Exception e) when (e is DbException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Perf DB history of {query.Describe()} from {Display} could not be read: {e.Message}", e);
        }
        var records = new List<HistoryRecord>();
        foreach (var ((run, concurrency), (at, document)) in documents)
        {
            var parsed = JsonNode.Parse(document) as JsonObject ?? [];
            parsed["timestamp"] = at.ToString("O");
            var record = JsonFileHistorySource.Read(new JsonArray(parsed).ToJsonString(), $"Perf DB {Display} run {run}").SingleOrDefault();
            if (record is null) continue;
            var values = new Dictionary<string, double>(record.Metrics, StringComparer.Ordinal);
            foreach (var (name, value) in metrics.GetValueOrDefault((run, concurrency)) ?? []) values[name] = value;
            records.Add(record with { Metrics = values });
        }
        var window = records.Where(query.Wants).OrderBy(r => r.Timestamp).ToList();
        return [.. window, .. Approved(query, approved, window)];
    }

    /// <summary>Approvals of the run's test case names on its cluster and GPU type, newest first, with the approved run's document.</summary>
    private string ApprovedSql(int names) => $"""
        SELECT a.run_id, a.approved_at, CAST(r.document AS TEXT)
        FROM baseline_approvals a
        JOIN perf_results r ON r.run_id = a.run_id AND r.test_id = a.test_id
        WHERE a.cluster = @cluster AND a.gpu_type = @gpu_type
          AND r.document->>'s_test_case_name' IN ({string.Join(", ", Enumerable.Range(0, names).Select(i => $"@name{i}"))})
        ORDER BY a.approved_at DESC
        """;

    /// <summary>Per test case name, the newest approval as a record pinning every baseline it has a value for, newer than the window.</summary>
    private IEnumerable<HistoryRecord> Approved(HistoryQuery query, List<(string Run, DateTimeOffset At, string Document)> approved,
        List<HistoryRecord> window)
    {
        var newest = window.Count > 0 ? window[^1].Timestamp : query.Since;
        foreach (var key in query.Keys)
        {
            foreach (var (run, at, document) in approved)
            {
                var parsed = JsonNode.Parse(document) as JsonObject ?? [];
                if (parsed["s_test_case_name"]?.GetValue<string>() != key.TestCaseName) continue;
                parsed["timestamp"] = at.ToString("O");
                parsed.Remove("s_failure_class");
                if (JsonFileHistorySource.Read(new JsonArray(parsed).ToJsonString(), $"Perf DB {Display} approved run {run}").SingleOrDefault() is not { } r)
                    continue;
                var pins = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var field in DocumentMetrics.Fields)
                    if (r[DocumentMetrics.CatalogName(field)] is { } value) pins[DocumentMetrics.BaselineField(field)] = value;
                var stamp = new[] { at, newest.AddTicks(1), query.Since }.Max();
                yield return r with { Timestamp = stamp, Key = key, Pinned = pins, HasBaselineFields = true, IsPostMerge = true };
                break;
            }
        }
    }

    private DbCommand Command(DbConnection connection, string sql, IReadOnlyList<string> names, DateTimeOffset since)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        Add(cmd, "since", store.Timestamp(since));
        for (var i = 0; i < names.Count; i++) Add(cmd, $"name{i}", names[i]);
        return cmd;
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
