using System.Data.Common;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Approved baselines in the Perf DB (<c>baseline_approvals</c>, migration 3): <c>disagg baseline approve</c> records
/// who approved which run's results of a test, on which cluster and GPU type, when and why; the regression rule judges
/// against the newest approval of the test's cluster and GPU type when one exists (<see cref="PerfDbHistorySource"/>)
/// and against the rolling history otherwise; <c>disagg baseline show</c> prints the audit trail. Approvals are only
/// ever added: the trail is never rewritten.
/// </summary>
public sealed class BaselineApprovals(PerfDbStore store)
{
    public string Display => store.Display;

    /// <summary>A test of a run as the Perf DB holds it: the fields an approval copies, and whether it passed.</summary>
    public sealed record StoredTest(string TestId, string Cluster, string GpuType, bool Passed, string FailureClass);

    public async Task<IReadOnlyList<StoredTest>> TestsOfRunAsync(string runId, CancellationToken cancellationToken)
    {
        var tests = new List<StoredTest>();
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await PerfDbMigrations.ApplyAsync(store, connection, cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT test_id, COALESCE(cluster, ''), gpu_type, passed, COALESCE(failure_class, '') FROM perf_tests WHERE run_id = @run_id ORDER BY test_id
            """;
        Add(cmd, "run_id", runId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            tests.Add(new StoredTest(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetString(4)));
        return tests;
    }

    public async Task AddAsync(IReadOnlyList<BaselineApproval> approvals, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await PerfDbMigrations.ApplyAsync(store, connection, cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var a in approvals)
            await PerfDbMigrations.Exec(connection, tx, """
                INSERT INTO baseline_approvals (approval_id, cluster, gpu_type, test_id, run_id, approved_by, approved_at, reason)
                VALUES (@id, @cluster, @gpu_type, @test_id, @run_id, @by, @at, @reason)
                """, cancellationToken, ("id", a.ApprovalId), ("cluster", a.Cluster), ("gpu_type", a.GpuType), ("test_id", a.TestId),
                ("run_id", a.RunId), ("by", a.ApprovedBy), ("at", store.Timestamp(a.ApprovedAt)), ("reason", a.Reason)).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every approval of <paramref name="testId"/>, newest first (all clusters and GPU types).</summary>
    public async Task<IReadOnlyList<BaselineApproval>> OfTestAsync(string testId, CancellationToken cancellationToken)
    {
        var approvals = new List<BaselineApproval>();
        await using var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await PerfDbMigrations.ApplyAsync(store, connection, cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT approval_id, cluster, gpu_type, test_id, run_id, approved_by, approved_at, reason FROM baseline_approvals WHERE test_id = @test_id
            """;
        Add(cmd, "test_id", testId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            approvals.Add(new BaselineApproval(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), Utc(reader.GetDateTime(6)), reader.GetString(7)));
        return [.. approvals.OrderByDescending(a => a.ApprovedAt)];
    }

    internal static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc));

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
