using System.Text.Json.Nodes;
using Disagg.Harness.Thresholds;
using Npgsql;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Chooses the regression rule's history the way <see cref="ResultPublisher"/> chooses destinations: the Perf DB
/// when <c>DISAGG_PERFDB_CONNECTION</c> is set, else OpenSearch when <c>OPEN_SEARCH_DB_BASE_URL</c> is set, else the
/// JSON export named by <c>DISAGG_HISTORY_FILE</c>, else none (the check is skipped with a logged line).
/// Records are those of the same test id and GPU type (<see cref="PublishRecordFactory.GpuType"/>).
/// </summary>
public static class HistorySources
{
    public const string FileVariable = "DISAGG_HISTORY_FILE";
    public const string NoneConfigured = JobJudge.NoHistory;

    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The source, or null, and the line saying which one (for the test log).</summary>
    public static (IHistorySource? Source, string Line) FromEnvironment(IReadOnlyDictionary<string, string> env, Action<string> log, HttpClient? http = null, TimeProvider? time = null, string? resultsDir = null)
    {
        var gpu = PublishRecordFactory.GpuType(env);
        if (PerfDbSettings.Connection(env) is { } connection)
        {
            var source = new PerfDbHistorySource(connection, gpu);
            return (source, $"regression history: Perf DB {source.Display} (gpu {gpu})");
        }
        // The laptop's embedded Perf DB, when a run has written one there (DISAGG_PERFDB_SQLITE keeps it across runs).
        if (resultsDir is not null && SqlitePerfDb.For(env, resultsDir) is { } sqlite && File.Exists(sqlite.Path))
        {
            var source = new PerfDbHistorySource(sqlite, gpu);
            return (source, $"regression history: Perf DB {source.Display} (gpu {gpu})");
        }
        OpenSearchSettings? openSearch;
        try
        {
            openSearch = OpenSearchSettings.FromEnvironment(env);
        }
        catch (UploadException e)
        {
            return (null, $"regression history: none: {e.Message}");
        }
        if (openSearch is not null)
            return (new OpenSearchHistorySource(new OpenSearchClient(http ?? Http, openSearch, time ?? TimeProvider.System, log), gpu),
                $"regression history: OpenSearch {openSearch} (gpu {gpu})");
        if (env.GetValueOrDefault(FileVariable) is { Length: > 0 } file)
            return (new JsonFileHistorySource(file), $"regression history: JSON export {file}");
        return (null, "regression history: none: " + NoneConfigured);
    }
}

/// <summary>
/// History from the Perf DB tables <see cref="PerfDbWriter"/> fills: per (run, concurrency) the metrics of the
/// test id and GPU type whose OpenSearch document says valid, not a baseline, post-merge, and whose test had no
/// result problem (an incomplete or failed-request run never enters a baseline). The time is the job's end
/// (else its start, else the upload). An empty database (no schema yet) is no history, not an error.
/// </summary>
public sealed class PerfDbHistorySource(PerfDbStore store, string gpuType) : IHistorySource
{
    public PerfDbHistorySource(string connectionString, string gpuType) : this(new NpgsqlPerfDb(connectionString), gpuType)
    {
    }

    public string Display => store.Display;

    private string Sql => $"""
        SELECT t.run_id, m.concurrency, m.metric, m.value, COALESCE(t.finished_at, t.started_at, t.uploaded_at) AS at
        FROM perf_tests t
        JOIN perf_results r ON r.run_id = t.run_id AND r.test_id = t.test_id
        JOIN perf_metrics m ON m.run_id = r.run_id AND m.test_id = r.test_id AND m.concurrency = r.concurrency
        WHERE t.test_id = @test AND t.gpu_type = @gpu
          AND COALESCE(t.finished_at, t.started_at, t.uploaded_at) >= @since
          AND {store.JsonArrayLength}(t.problems) = 0
          AND CAST(COALESCE(r.document->>'b_is_post_merge', 'false') AS TEXT) IN ('true', '1')
          AND CAST(COALESCE(r.document->>'b_is_valid', 'true') AS TEXT) IN ('true', '1')
          AND CAST(COALESCE(r.document->>'b_is_baseline', 'false') AS TEXT) IN ('false', '0')
        """;

    public async Task<IReadOnlyList<HistoryRecord>> GetAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<(string Run, int Concurrency), (DateTimeOffset At, Dictionary<string, double> Metrics)>();
        try
        {
            await using var connection = store.CreateConnection();
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = Sql;
            Add(cmd, "test", query.TestCase);
            Add(cmd, "gpu", gpuType);
            Add(cmd, "since", store.Timestamp(query.Since));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = (reader.GetString(0), reader.GetInt32(1));
                if (!rows.TryGetValue(key, out var row))
                    rows[key] = row = (new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(4).ToUniversalTime(), DateTimeKind.Utc)), new Dictionary<string, double>(StringComparer.Ordinal));
                if (HistoryMetricNames.ToCatalogName(reader.GetString(2)) is { } metric) row.Metrics[metric] = reader.GetDouble(3);
            }
        }
        catch (Exception e) when (store.IsMissingTable(e))
        {
            return [];
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Perf DB history of {query.TestCase} from {Display} could not be read: {e.Message}", e);
        }
        return rows.Select(r => new HistoryRecord(r.Value.At, new TestIdentity(query.TestCase, r.Key.Concurrency), r.Value.Metrics)).OrderBy(r => r.Timestamp).ToList();
    }

    private static void Add(System.Data.Common.DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}

/// <summary>
/// History from OpenSearch through <see cref="OpenSearchClient.SearchAsync"/>: Disagg's documents of the test
/// (<c>s_disagg_test_id</c>) and GPU type that are valid, post-merge and not baselines, created since the
/// lookback start (<c>ts_created</c>, epoch ms). Documents map to records as in <see cref="JsonFileHistorySource"/>.
/// </summary>
public sealed class OpenSearchHistorySource(OpenSearchClient client, string gpuType) : IHistorySource
{
    public const int MaxHits = 5000;

    public static JsonObject Query(HistoryQuery query, string gpuType) => new()
    {
        ["query"] = new JsonObject
        {
            ["bool"] = new JsonObject
            {
                ["must"] = new JsonArray(
                    Term("s_disagg_test_id", query.TestCase),
                    Term("s_gpu_type", gpuType),
                    Term("b_is_valid", true),
                    Term("b_is_post_merge", true),
                    new JsonObject { ["range"] = new JsonObject { ["ts_created"] = new JsonObject { ["gte"] = query.Since.ToUnixTimeMilliseconds() } } }),
                ["must_not"] = new JsonArray(Term("b_is_baseline", true)),
            },
        },
        ["size"] = MaxHits,
    };

    public async Task<IReadOnlyList<HistoryRecord>> GetAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        var hits = await client.SearchAsync(Query(query, gpuType), cancellationToken).ConfigureAwait(false);
        var array = new JsonArray([.. hits.Select(h => (JsonNode)h.DeepClone())]);
        return JsonFileHistorySource.Read(array.ToJsonString(), $"OpenSearch {client.Settings}")
            .Where(r => r.IsPostMerge && r.Test.TestCase == query.TestCase && r.Timestamp >= query.Since)
            .ToList();
    }

    private static JsonObject Term(string field, JsonNode value) => new() { ["term"] = new JsonObject { [field] = value } };
}
