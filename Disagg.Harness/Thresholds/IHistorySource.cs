namespace Disagg.Harness.Thresholds;

/// <summary>
/// Where history comes from: the Perf DB / OpenSearch in CI (implemented in Publishing/), a JSON export on a laptop
/// (<see cref="JsonFileHistorySource"/>), a list in tests (<see cref="InMemoryHistorySource"/>). Implementations return
/// only valid, non-baseline, post-merge records the query wants and throw when the store cannot be read: the rule
/// then skips the check with a warning.
/// </summary>
public interface IHistorySource
{
    Task<IReadOnlyList<HistoryRecord>> GetAsync(HistoryQuery query, CancellationToken cancellationToken);
}
