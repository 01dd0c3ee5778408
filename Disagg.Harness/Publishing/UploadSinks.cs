namespace Disagg.Harness.Publishing;

/// <summary>
/// The destinations the environment configures, chosen the same way for teardown (<see cref="ResultPublisher"/>) and
/// for <c>upload-pending</c>: OpenSearch when <c>OPEN_SEARCH_DB_BASE_URL</c> is set; the Perf DB unless
/// <c>UPLOAD_TO_PERFDB</c> is false, on PostgreSQL when <c>DISAGG_PERFDB_CONNECTION</c> is set, else the SQLite file in
/// the results folder. <see cref="Skipped"/> holds one line for each destination left out or replaced, to be logged.
/// </summary>
public sealed record UploadSinks(IReadOnlyList<IResultSink> Sinks, IReadOnlyList<string> Skipped)
{
    /// <summary>Throws <see cref="UploadException"/> (config) on an invalid setting, before anything is sent.</summary>
    public static UploadSinks FromEnvironment(IReadOnlyDictionary<string, string> env, string resultsDir, TimeProvider time, Action<string> log,
        HttpClient http)
    {
        var sinks = new List<IResultSink>();
        var skipped = new List<string>();
        if (OpenSearchSettings.FromEnvironment(env) is { } openSearch)
            sinks.Add(new OpenSearchSink(new OpenSearchClient(http, openSearch, time, log)));
        else
            skipped.Add("upload opensearch: skipped: OPEN_SEARCH_DB_BASE_URL not set");
        switch (PerfDbSettings.Store(env, resultsDir))
        {
            case null:
                skipped.Add($"upload perfdb: skipped: {PerfDbSettings.EnableVariable}=false");
                break;
            case SqlitePerfDb sqlite:
                skipped.Add($"upload perfdb: {PerfDbSettings.ConnectionVariable} not set, using the embedded Perf DB {sqlite.Path}");
                sinks.Add(new PerfDbSink(new PerfDbWriter(sqlite, time)));
                break;
            case var store:
                sinks.Add(new PerfDbSink(new PerfDbWriter(store, time)));
                break;
        }
        return new UploadSinks(sinks, skipped);
    }
}
