namespace Disagg.Harness.Thresholds;

/// <summary>History held in memory: the records the query wants, as a store would return them.</summary>
public sealed class InMemoryHistorySource(IEnumerable<HistoryRecord> records) : IHistorySource
{
    private readonly IReadOnlyList<HistoryRecord> _records = records.ToList();

    public Task<IReadOnlyList<HistoryRecord>> GetAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<HistoryRecord> matches = _records.Where(query.Wants).ToList();
        return Task.FromResult(matches);
    }
}
