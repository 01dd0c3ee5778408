using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Chooses the regression rule's history the way <see cref="ResultPublisher"/> chooses destinations: the Perf DB
/// when <c>DISAGG_PERFDB_CONNECTION</c> is set, else OpenSearch when <c>OPEN_SEARCH_DB_BASE_URL</c> is set, else the
/// JSON export named by <c>DISAGG_HISTORY_FILE</c>, else none (the check is skipped with a logged line).
/// Every source returns the records matching the run's case keys (<see cref="CaseKey"/>).
/// </summary>
public static class HistorySources
{
    public const string FileVariable = "DISAGG_HISTORY_FILE";
    public const string NoneConfigured = JobJudge.NoHistory;

    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The source, or null, and the line saying which one (for the test log).</summary>
    public static (IHistorySource? Source, string Line) FromEnvironment(IReadOnlyDictionary<string, string> env, Action<string> log, HttpClient? http = null,
        TimeProvider? time = null, string? resultsDir = null)
    {
        if (PerfDbSettings.Connection(env) is { } connection)
        {
            var source = new PerfDbHistorySource(connection);
            return (source, $"regression history: Perf DB {source.Display}");
        }
        // The laptop's embedded Perf DB, when a run has written one there (DISAGG_PERFDB_SQLITE keeps it across runs).
        if (resultsDir is not null && SqlitePerfDb.For(env, resultsDir) is { } sqlite && File.Exists(sqlite.Path))
        {
            var source = new PerfDbHistorySource(sqlite);
            return (source, $"regression history: Perf DB {source.Display}");
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
            return (new OpenSearchHistorySource(new OpenSearchClient(http ?? Http, openSearch, time ?? TimeProvider.System, log)),
                $"regression history: OpenSearch {openSearch}");
        if (env.GetValueOrDefault(FileVariable) is { Length: > 0 } file)
            return (new JsonFileHistorySource(file), $"regression history: JSON export {file}");
        return (null, "regression history: none: " + NoneConfigured);
    }
}
