using System.Collections;
using System.Text.Json;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Teardown publishing of one test: builds the payloads, writes them to the outbox, then sends them to
/// OpenSearch (when <c>OPEN_SEARCH_DB_BASE_URL</c> is set) and the Perf DB (unless <c>UPLOAD_TO_PERFDB</c> is false:
/// PostgreSQL when <c>DISAGG_PERFDB_CONNECTION</c> is set, else the SQLite file <c>&lt;results-dir&gt;/perfdb.sqlite</c>).
/// A destination that is not configured is skipped with a logged line. What still fails after retries stays in the
/// outbox and is appended to <c>&lt;results-dir&gt;/upload-failures.txt</c> (<see cref="UploadFailureLog"/>).
/// </summary>
public sealed class ResultPublisher
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private readonly string _resultsDir;
    private readonly IReadOnlyDictionary<string, string> _env;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<IResultSink> _sinks;
    private readonly IReadOnlyList<string> _skipped;

    public ResultPublisher(string resultsDir, IReadOnlyDictionary<string, string> env, IReadOnlyList<IResultSink> sinks, IReadOnlyList<string> skipped,
        TimeProvider time)
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
        var selected = UploadSinks.FromEnvironment(env, resultsDir, time, log, http);
        return new ResultPublisher(resultsDir, env, selected.Sinks, selected.Skipped, time);
    }

    public Task<UploadReport> PublishAsync(JudgedRun result, DisaggConfig config, CancellationToken cancellationToken) =>
        PublishAsync(PublishRecordFactory.Create(result, config, RunId(), _env, StartupObservation.ReadFolder(result.Workspace)), cancellationToken);

    public async Task<UploadReport> PublishAsync(PublishRecord record, CancellationToken cancellationToken)
    {
        var outbox = new Outbox(_resultsDir);
        var entries = Stage(outbox, record);
        var report = await new OutboxUploader(_sinks, _time).UploadAsync(outbox, entries, cancellationToken);
        UploadFailureLog.Append(_resultsDir, report.Failed);
        return report with { Lines = [.. _skipped, .. report.Lines] };
    }

    /// <summary>
    /// The first half of <see cref="PublishAsync(PublishRecord, CancellationToken)"/>: the payloads of every configured
    /// destination, written atomically to the outbox before any network call. A runner killed right after this leaves
    /// exactly these files for <c>upload-pending</c>.
    /// </summary>
    internal IReadOnlyList<OutboxEntry> Stage(Outbox outbox, PublishRecord record)
    {
        var documents = OpenSearchDocumentBuilder.Build(record);
        var key = DocumentId.For(record.RunId, record.TestId, record.Job.JobId, -1)[..12];
        var now = _time.GetUtcNow();
        var entries = new List<OutboxEntry>();
        if (_sinks.Any(s => s.Kind == OutboxEntry.OpenSearch) && documents.Count > 0)
            entries.Add(new OutboxEntry($"{record.TestId}-{key}-opensearch", OutboxEntry.OpenSearch, record.TestId, now, 0, null,
                DocumentJson.Serialize(documents)));
        if (_sinks.Any(s => s.Kind == OutboxEntry.PerfDb))
            entries.Add(new OutboxEntry($"{record.TestId}-{key}-perfdb", OutboxEntry.PerfDb, record.TestId, now, 0, null,
                JsonSerializer.Serialize(PerfDbRun.From(record, documents))));
        foreach (var entry in entries) outbox.Write(entry);
        return entries;
    }

    /// <summary><c>DISAGG_RUN_ID</c>, else the results folder name (one per run), so re-sends keep the same ids.</summary>
    private string RunId() => RunIds.Resolve(_env.GetValueOrDefault(RunIds.Variable), _resultsDir);

    internal static Dictionary<string, string> CurrentEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) env[(string)e.Key] = e.Value as string ?? "";
        return env;
    }
}
