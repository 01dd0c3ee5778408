namespace Disagg.Harness.Thresholds;

/// <summary>Which history rows belong to a test: the human test-case id plus the concurrency of the block.</summary>
public sealed record TestIdentity(string TestCase, int Concurrency);

/// <summary>
/// One past run of one test at one concurrency: when it ran, whether it was post-merge, and its metric
/// values keyed by catalog name (<c>output_token_throughput</c>, not <c>d_token_throughput</c>).
/// </summary>
public sealed record HistoryRecord(DateTimeOffset Timestamp, TestIdentity Test, IReadOnlyDictionary<string, double> Metrics, bool IsPostMerge = true)
{
    public double? this[string metric] => Metrics.TryGetValue(metric, out var v) && double.IsFinite(v) ? v : null;
}

/// <summary>What the regression rule asks for: every valid, non-baseline, post-merge record of the test since a UTC day.</summary>
public sealed record HistoryQuery(string TestCase, DateTimeOffset Since);

/// <summary>
/// Where history comes from: the Perf DB / OpenSearch in CI (implemented in Publishing/), a JSON
/// export on a laptop (<see cref="JsonFileHistorySource"/>), a list in tests (<see cref="InMemoryHistorySource"/>).
/// Implementations return only valid, non-baseline, post-merge records (results-upload.md §8) and throw
/// when the store cannot be read: the rule then skips the check with a warning (§7).
/// </summary>
public interface IHistorySource
{
    Task<IReadOnlyList<HistoryRecord>> GetAsync(HistoryQuery query, CancellationToken cancellationToken);
}

public sealed class InMemoryHistorySource(IEnumerable<HistoryRecord> records) : IHistorySource
{
    private readonly IReadOnlyList<HistoryRecord> _records = records.ToList();

    public Task<IReadOnlyList<HistoryRecord>> GetAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<HistoryRecord> matches = _records
            .Where(r => r.IsPostMerge && r.Test.TestCase == query.TestCase && r.Timestamp >= query.Since)
            .ToList();
        return Task.FromResult(matches);
    }
}
