using Disagg.Harness.Cluster;
using Disagg.Harness.Execution;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// One judged job: how it ended, what was parsed, what was judged and where its files are. A live run and
/// <c>disagg reevaluate</c> of the same folder produce equal verdicts, problems and <see cref="Report"/>.
/// </summary>
public sealed record JudgedRun(
    string TestId,
    string Workspace,
    string? JobId,
    JobOutcome? Outcome,
    BenchmarkLog? Benchmark,
    IReadOnlyList<string> Problems,
    IReadOnlyList<ThresholdVerdict> Verdicts,
    IReadOnlyList<PhaseEvent> Phases,
    TimeSpan Duration)
{
    /// <summary>Baseline-regression findings of the gating metrics (docs/thresholds.md); empty when not judged.</summary>
    public IReadOnlyList<RegressionFinding> Regression { get; init; } = [];

    /// <summary>Per concurrency, the test case as its document records it (<see cref="RegressionCase"/>); empty when history was not read.</summary>
    public IReadOnlyList<RegressionCase> RegressionCases { get; init; } = [];

    /// <summary>The GPU type the job ran on as documents name it (<c>gb200</c>, ..., <c>unsupported</c>); null when not determined.</summary>
    public string? GpuType { get; init; }

    /// <summary>lm_eval hypothesis tests, one per <c>metadata.accuracy.datasets</c> entry, when accuracy ran.</summary>
    public IReadOnlyList<AccuracyVerdict> Accuracy { get; init; } = [];

    /// <summary>Things that do not fail the test (a skipped regression check, missing step times, ...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>gen_only: the gen servers' per-iteration device step times, when their logs had any.</summary>
    public StepTimeSummary? StepTimes { get; init; }

    /// <summary>The blocks as judged (gen_only: with step times attached when one concurrency ran).</summary>
    public IReadOnlyList<ConcurrencyResult> Blocks { get; init; } = [];

    /// <summary>The cluster the test ran on (the cluster profile's name): history and the bad-node ledger are kept per cluster.</summary>
    public string Cluster { get; init; } = "";

    /// <summary>A waiver of the test that is past its date (the test ran again); null when none.</summary>
    public string? StaleWaiver { get; init; }

    /// <summary>Earlier submissions that failed for infrastructure reasons and were retried elsewhere (<c>infra failure on node3 (NCCL timeout)</c>).</summary>
    public IReadOnlyList<string> EarlierAttempts { get; init; } = [];

    /// <summary>Nodes excluded from every submission because the bad-node ledger holds them suspect (--avoid-suspect-nodes).</summary>
    public IReadOnlyList<string> AvoidedNodes { get; init; } = [];

    /// <summary>Workers whose log never shows the model load beginning (<see cref="Results.ModelLoadEvidence"/>).</summary>
    public IReadOnlyList<ServerStart> ServersNeverLoaded { get; init; } = [];

    /// <summary><c>infra failure on node3 (NCCL timeout), passed on retry</c>; null when the first attempt was the only one.</summary>
    public string? AttemptNote => EarlierAttempts.Count == 0
        ? null
        : string.Join("; ", EarlierAttempts) + (Passed ? ", passed on retry" : ", failed again on retry: " + (Failure?.Describe() ?? "failed"));

    /// <summary>Whose fault the failure is (infrastructure, product, configuration) and the nodes implicated; null for a pass.</summary>
    public FailureClassification? Failure => FailureClassifier.Classify(this);

    public bool Passed => Problems.Count == 0 && Verdicts.All(v => v.Passed) &&
                          Regression.All(f => f.Severity != FindingSeverity.Failure) && Accuracy.All(a => a.Passed);

    /// <summary>
    /// The one report of the test: every failing bound and regression with metric, concurrency, value, bound or
    /// baseline, tolerance and diff %, the problems and failed accuracy checks.
    /// </summary>
    public PerfReport Report => VerdictReport.Build(TestId, Verdicts, Regression,
        [.. Problems, .. Accuracy.Where(a => !a.Passed).Select(a => "accuracy: " + a.Message)]);

    /// <summary>A run that never produced a job (rejected submission, invalid upload settings, a crash before submit).</summary>
    public static JudgedRun Unsubmitted(string testId, string workspace, string problem, TimeSpan duration) =>
        new(testId, workspace, null, null, null, [problem], [], [], duration);
}
