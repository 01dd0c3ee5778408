using System.Collections;
using System.Text.Json;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Teardown publishing of one test: builds the payloads, writes them to the outbox, then sends them to
/// OpenSearch (when <c>OPEN_SEARCH_DB_BASE_URL</c> is set) and the Perf DB (when <c>UPLOAD_TO_PERFDB</c> is true
/// and <c>DISAGG_PERFDB_CONNECTION</c> is set). A destination that is not configured is skipped with a logged line.
/// </summary>
public sealed class ResultPublisher
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private readonly string _resultsDir;
    private readonly IReadOnlyDictionary<string, string> _env;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<IResultSink> _sinks;
    private readonly IReadOnlyList<string> _skipped;

    public ResultPublisher(string resultsDir, IReadOnlyDictionary<string, string> env, IReadOnlyList<IResultSink> sinks, IReadOnlyList<string> skipped, TimeProvider time)
    {
        _resultsDir = resultsDir;
        _env = env;
        _sinks = sinks;
        _skipped = skipped;
        _time = time;
    }

    /// <summary>Reads the process environment once. Throws <see cref="UploadException"/> (config) on an invalid setting.</summary>
    public static ResultPublisher FromEnvironment(string resultsDir, Action<string> log) =>
        Create(resultsDir, CurrentEnvironment(), TimeProvider.System, log, Http);

    public static ResultPublisher Create(string resultsDir, IReadOnlyDictionary<string, string> env, TimeProvider time, Action<string> log, HttpClient http)
    {
        var sinks = new List<IResultSink>();
        var skipped = new List<string>();
        if (OpenSearchSettings.FromEnvironment(env) is { } openSearch)
            sinks.Add(new OpenSearchSink(new OpenSearchClient(http, openSearch, time, log)));
        else
            skipped.Add("upload opensearch: skipped: OPEN_SEARCH_DB_BASE_URL not set");
        if (!PerfDbSettings.Enabled(env))
            skipped.Add($"upload perfdb: skipped: {PerfDbSettings.EnableVariable}=false");
        else if (PerfDbSettings.Connection(env) is { } connection)
            sinks.Add(new PerfDbSink(new PerfDbWriter(connection)));
        else
            skipped.Add($"upload perfdb: skipped: {PerfDbSettings.ConnectionVariable} not set");
        return new ResultPublisher(resultsDir, env, sinks, skipped, time);
    }

    public Task<UploadReport> PublishAsync(TestRunResult result, DisaggConfig config, CancellationToken cancellationToken) =>
        PublishAsync(PublishRecordFactory.Create(result, config, RunId(), _env), cancellationToken);

    public async Task<UploadReport> PublishAsync(PublishRecord record, CancellationToken cancellationToken)
    {
        var outbox = new Outbox(_resultsDir);
        var documents = OpenSearchDocumentBuilder.Build(record);
        var key = DocumentId.For(record.RunId, record.TestId, record.Job.JobId, -1)[..12];
        var now = _time.GetUtcNow();
        var entries = new List<OutboxEntry>();
        if (_sinks.Any(s => s.Kind == OutboxEntry.OpenSearch) && documents.Count > 0)
            entries.Add(new OutboxEntry($"{record.TestId}-{key}-opensearch", OutboxEntry.OpenSearch, record.TestId, now, 0, null, DocumentJson.Serialize(documents)));
        if (_sinks.Any(s => s.Kind == OutboxEntry.PerfDb))
            entries.Add(new OutboxEntry($"{record.TestId}-{key}-perfdb", OutboxEntry.PerfDb, record.TestId, now, 0, null, JsonSerializer.Serialize(PerfDbRun.From(record, documents))));
        foreach (var entry in entries) outbox.Write(entry);
        var report = await new OutboxUploader(_sinks, _time).UploadAsync(outbox, entries, cancellationToken);
        return report with { Lines = [.. _skipped, .. report.Lines] };
    }

    /// <summary><c>DISAGG_RUN_ID</c>, else the results folder name (one per run), so re-sends keep the same ids.</summary>
    private string RunId() => _env.GetValueOrDefault("DISAGG_RUN_ID") is { Length: > 0 } id ? id : Path.GetFileName(Path.TrimEndingDirectorySeparator(_resultsDir));

    internal static Dictionary<string, string> CurrentEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) env[(string)e.Key] = e.Value as string ?? "";
        return env;
    }
}
