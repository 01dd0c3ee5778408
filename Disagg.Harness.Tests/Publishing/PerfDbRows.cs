using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Disagg.Harness.Publishing;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>Reads back what <see cref="PerfDbWriter"/> stored, the same way for PostgreSQL and SQLite, to compare with the parsed results.</summary>
internal static class PerfDbRows
{
    public sealed record TestRow(string TestId, bool Passed, string GpuType, string BenchmarkMode,
        int NumCtx, int NumGen, string? JobId, string? JobState, JsonNode? Config);

    public static async Task<T?> ScalarAsync<T>(PerfDbStore store, string sql)
    {
        await using var connection = await store.OpenAsync(CancellationToken.None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>(test id, concurrency, metric) → value of one run.</summary>
    public static async Task<Dictionary<(string Test, int Concurrency, string Metric), double>> MetricsAsync(PerfDbStore store, string runId)
    {
        var rows = new Dictionary<(string, int, string), double>();
        await using var connection = await store.OpenAsync(CancellationToken.None);
        await using var cmd = Command(connection, "SELECT test_id, concurrency, metric, value FROM perf_metrics WHERE run_id = @run", runId);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), reader.GetString(2)), reader.GetDouble(3));
        return rows;
    }

    /// <summary>(test id, concurrency) → prompts of one run.</summary>
    public static async Task<Dictionary<(string Test, int Concurrency), int?>> ResultsAsync(PerfDbStore store, string runId)
    {
        var rows = new Dictionary<(string, int), int?>();
        await using var connection = await store.OpenAsync(CancellationToken.None);
        await using var cmd = Command(connection, "SELECT test_id, concurrency, prompts FROM perf_results WHERE run_id = @run", runId);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture)),
                reader.IsDBNull(2) ? null : Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture));
        return rows;
    }

    public static async Task<List<TestRow>> TestsAsync(PerfDbStore store, string runId)
    {
        var rows = new List<TestRow>();
        await using var connection = await store.OpenAsync(CancellationToken.None);
        await using var cmd = Command(connection, """
            SELECT test_id, passed, gpu_type, benchmark_mode, num_ctx_servers, num_gen_servers, job_id, job_state, config
            FROM perf_tests WHERE run_id = @run ORDER BY test_id
            """, runId);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(new TestRow(reader.GetString(0), Convert.ToBoolean(reader.GetValue(1), CultureInfo.InvariantCulture),
                reader.GetString(2), reader.GetString(3),
                Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture), Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), JsonNode.Parse(reader.GetString(8))));
        return rows;
    }

    /// <summary>What the rows must hold: every metric of every parsed concurrency block, exactly.</summary>
    public static Dictionary<(string Test, int Concurrency, string Metric), double> Expected(IEnumerable<PublishRecord> records) =>
        records.SelectMany(r => r.Results.SelectMany(c => c.Metrics.Select(m => (Key: (r.TestId, c.Concurrency, m.Key), m.Value))))
            .ToDictionary(x => x.Key, x => x.Value);

    private static DbCommand Command(DbConnection connection, string sql, string runId)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        var p = cmd.CreateParameter();
        p.ParameterName = "run";
        p.Value = runId;
        cmd.Parameters.Add(p);
        return cmd;
    }
}
