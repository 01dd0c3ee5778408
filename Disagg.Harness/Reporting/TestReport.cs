namespace Disagg.Harness.Reporting;

/// <summary>
/// One test of a run, read from <c>&lt;test id&gt;/results.json</c> and, when present, its TRX result.
/// A test that stopped before benchmarking has no concurrencies; a test that never wrote results.json
/// (say, an invalid config) is known from the TRX only and has <see cref="HasResults"/> false.
/// </summary>
public sealed record TestReport
{
    public required string TestId { get; init; }
    public required bool Passed { get; init; }
    public bool HasResults { get; init; } = true;
    /// <summary>TRX outcome (Passed, Failed, ...) when a TRX file names the test.</summary>
    public string? TrxOutcome { get; init; }
    public string? JobId { get; init; }
    public string? JobState { get; init; }
    public string? ExitCode { get; init; }
    public string? Nodes { get; init; }
    public double? DurationSeconds { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];
    /// <summary><c>infrastructure</c>, <c>product</c> or <c>configuration</c> for a failed test (results.json <c>failure_class</c>).</summary>
    public string? FailureClass { get; init; }
    public string? FailureCause { get; init; }
    /// <summary><c>infra failure on node3 (NCCL timeout), passed on retry</c> (results.json <c>attempts</c>).</summary>
    public string? AttemptNote { get; init; }
    /// <summary>Nodes excluded as suspect by --avoid-suspect-nodes.</summary>
    public IReadOnlyList<string> AvoidedNodes { get; init; } = [];
    /// <summary>Waivers past their date: the test ran again (from the run's stale-waivers file).</summary>
    public string? StaleWaiver { get; init; }
    /// <summary>Why a test did not run (its waiver URL, the GPU filter), from the TRX.</summary>
    public string? SkipReason { get; init; }
    public IReadOnlyList<ConcurrencyResult> Concurrencies { get; init; } = [];
    public IReadOnlyList<VerdictRecord> Verdicts { get; init; } = [];
    public IReadOnlyList<PhaseRecord> Phases { get; init; } = [];
    /// <summary>Optional <c>baselines: {metric: value}</c> of results.json (a value may also be <c>{concurrency: value}</c>).</summary>
    public IReadOnlyDictionary<string, Baseline> Baselines { get; init; } = new Dictionary<string, Baseline>();
    /// <summary><c>metadata.model_name</c> and <c>metadata.precision</c> of the test's config, when found.</summary>
    public string? ModelName { get; init; }
    public string? Precision { get; init; }
    /// <summary>When the test started and ended (TRX times, else the phase log and the duration).</summary>
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    /// <summary>Paths relative to the results directory, with '/' separators.</summary>
    public string? Folder { get; init; }
    public string? DiagnosisArchive { get; init; }

    public IEnumerable<VerdictRecord> FailedVerdicts => Verdicts.Where(v => !v.Passed);

    /// <summary>Not run on purpose (a waiver or the GPU filter): the TRX says NotExecuted and no results.json exists.</summary>
    public bool Skipped => !HasResults && TrxOutcome == "NotExecuted";

    /// <summary>Problems first, then failed threshold verdicts: why the test failed, one line each.</summary>
    public IEnumerable<string> FailureReasons =>
        Problems.Concat(FailedVerdicts.Select(v => v.Describe()));

    /// <summary>
    /// What the reports say beside the verdict: the failure class, infrastructure retries, nodes avoided as suspect and a
    /// stale waiver, one line each.
    /// </summary>
    public IEnumerable<string> Notes
    {
        get
        {
            if (!Passed && FailureClass is { Length: > 0 } c) yield return $"failure class: {c}{(FailureCause is { Length: > 0 } why ? $" ({why})" : "")}";
            if (AttemptNote is { Length: > 0 } a) yield return "attempts: " + a;
            if (AvoidedNodes.Count > 0) yield return "suspect nodes avoided (--avoid-suspect-nodes): " + string.Join(", ", AvoidedNodes);
            if (StaleWaiver is { Length: > 0 } w) yield return "stale waiver (past its date, the test ran): " + w;
        }
    }

    public ConcurrencyResult? Highest => Concurrencies.Count == 0 ? null : Concurrencies.MaxBy(c => c.Concurrency);
}
