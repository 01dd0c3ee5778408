using Disagg.Harness.Publishing;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Pipeline;

/// <summary>
/// What the pipeline takes from the run rather than from the case: the environment (read once), where history for the
/// regression rule comes from, how results are published, dry-run, and the isolation gate. Built once per run.
/// </summary>
public sealed class PipelineServices
{
    public const string DryRunVariable = "DISAGG_DRY_RUN";

    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>The history source for one test (chosen per test: the embedded Perf DB may appear during the run), and the line saying which.</summary>
    public required Func<Action<string>, (IHistorySource? Source, string Line)> History { get; init; }

    /// <summary>Builds the publisher; null publishes nothing. Throws <see cref="UploadException"/> on invalid upload settings.</summary>
    public Func<Action<string>, ResultPublisher>? Publisher { get; init; }

    /// <summary>The bad-node ledger infrastructure failures are recorded in and suspects read from; null keeps no ledger.</summary>
    public NodeLedger? Ledger { get; init; }

    /// <summary><c>run_disagg_test.sh --dry-run</c>: render each job into its results folder and submit nothing.</summary>
    public bool DryRun { get; init; }

    public IsolationGate Isolation { get; } = new();

    /// <summary>Everything from the process environment, as a test run uses it.</summary>
    public static PipelineServices FromEnvironment(string resultsDir)
    {
        var env = ResultPublisher.CurrentEnvironment();
        return new PipelineServices
        {
            Environment = env,
            History = log => HistorySources.FromEnvironment(env, log, resultsDir: resultsDir),
            Publisher = log => ResultPublisher.FromEnvironment(resultsDir, log),
            Ledger = LedgerFrom(env, resultsDir),
            DryRun = env.GetValueOrDefault(DryRunVariable)?.Trim().ToLowerInvariant() is "1" or "true",
        };
    }

    /// <summary>The Perf DB the results go to (PostgreSQL, else the SQLite file), as the ledger; none when it is off or misconfigured.</summary>
    public static NodeLedger? LedgerFrom(IReadOnlyDictionary<string, string> env, string resultsDir)
    {
        try
        {
            return PerfDbSettings.Store(env, resultsDir) is { } store ? new NodeLedger(store) : null;
        }
        catch (UploadException)
        {
            return null;
        }
    }

    /// <summary>No publishing and the given history (or none): what the harness's own tests use.</summary>
    public static PipelineServices WithoutPublishing(IHistorySource? history = null) => new()
    {
        Environment = new Dictionary<string, string>(),
        History = _ => (history, history is null ? "regression history: none: " + JobJudge.NoHistory : $"regression history: {history.GetType().Name}"),
    };
}
