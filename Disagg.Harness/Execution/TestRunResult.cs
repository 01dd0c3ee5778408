using Disagg.Harness.Cluster;
using Disagg.Harness.Results;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Execution;

public sealed record PhaseEvent(DateTimeOffset At, string Phase);

/// <summary>Everything one test produced: the job's end, what was parsed, what was judged and where the files are.</summary>
public sealed record TestRunResult(
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
    /// <summary>Baseline-regression findings of the gating metrics (docs/thresholds.md §3); empty when not judged.</summary>
    public IReadOnlyList<RegressionFinding> Regression { get; init; } = [];

    /// <summary>lm_eval hypothesis tests, one per <c>metadata.accuracy.datasets</c> entry, when accuracy ran.</summary>
    public IReadOnlyList<AccuracyVerdict> Accuracy { get; init; } = [];

    /// <summary>Things that do not fail the test (a skipped regression check, missing step times, ...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>gen_only: the gen servers' per-iteration device step times, when their logs had any.</summary>
    public StepTimeSummary? StepTimes { get; init; }

    public bool Passed => Problems.Count == 0 && Verdicts.All(v => v.Passed) &&
                          Regression.All(f => f.Severity != FindingSeverity.Failure) && Accuracy.All(a => a.Passed);

    /// <summary>
    /// The one report of the test (issue 6): every failing bound and regression with metric, concurrency,
    /// value, bound or baseline, tolerance and diff %, the problems and failed accuracy checks, and the warnings.
    /// </summary>
    public PerfReport Report => VerdictReport.Build(TestId, Verdicts, Regression,
        [.. Problems, .. Accuracy.Where(a => !a.Passed).Select(a => "accuracy: " + a.Message)]);
}
