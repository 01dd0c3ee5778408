using System.Data.Common;

namespace Disagg.Harness.Publishing;

/// <summary>
/// The bad-node ledger: infrastructure failures per node in the Perf DB (<c>node_failures</c>, migration 3), on
/// PostgreSQL or the embedded SQLite file. A run records each node an infrastructure failure implicated; <c>disagg
/// nodes</c> lists them with their evidence and <c>--avoid-suspect-nodes</c> excludes the nodes with at least the
/// threshold of failures in the window. Keyed by cluster (the profile name): one cluster's bad node is not another's.
/// </summary>
public sealed class NodeLedger(PerfDbStore store)
{
    public string Display => store.Display;

    public async Task RecordAsync(IReadOnlyList<NodeFailure> failures, CancellationToken cancellationToken)
    {
        if (failures.Count == 0) return;
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await PerfDbMigrations.ApplyAsync(store, connection, cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var f in failures)
            await PerfDbMigrations.Exec(connection, tx, """
                INSERT INTO node_failures (run_id, test_id, job_id, node, cluster, cause, evidence, recorded_at)
                VALUES (@run_id, @test_id, @job_id, @node, @cluster, @cause, @evidence, @at)
                ON CONFLICT (run_id, test_id, job_id, node) DO UPDATE SET cause = EXCLUDED.cause, evidence = EXCLUDED.evidence
                """, cancellationToken, ("run_id", f.RunId), ("test_id", f.TestId), ("job_id", f.JobId), ("node", f.Node), ("cluster", f.Cluster),
                ("cause", f.Cause), ("evidence", f.Evidence), ("at", store.Timestamp(f.At))).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Failures recorded since <paramref name="since"/> (on <paramref name="cluster"/>, or every cluster), newest first.</summary>
    public async Task<IReadOnlyList<NodeFailure>> FailuresAsync(DateTimeOffset since, string? cluster, CancellationToken cancellationToken)
    {
        var rows = new List<NodeFailure>();
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await PerfDbMigrations.ApplyAsync(store, connection, cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT run_id, test_id, job_id, node, cluster, cause, evidence, recorded_at FROM node_failures
            WHERE recorded_at >= @since AND (@cluster = '' OR cluster = @cluster)
            """;
        Add(cmd, "since", store.Timestamp(since));
        Add(cmd, "cluster", cluster ?? "");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(new NodeFailure(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(7).ToUniversalTime(), DateTimeKind.Utc))));
        return [.. rows.OrderByDescending(r => r.At)];
    }

    /// <summary>Every node with failures in the window, most failures first; over the threshold when it has at least <paramref name="threshold"/>.</summary>
    public async Task<IReadOnlyList<SuspectNode>> NodesAsync(DateTimeOffset since, int threshold, string? cluster, CancellationToken cancellationToken)
    {
        var failures = await FailuresAsync(since, cluster, cancellationToken).ConfigureAwait(false);
        return [.. failures.GroupBy(f => f.Node, StringComparer.Ordinal)
            .Select(g => new SuspectNode(g.Key, [.. g], g.Count() >= threshold))
            .OrderByDescending(n => n.Failures.Count).ThenBy(n => n.Node, StringComparer.Ordinal)];
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
