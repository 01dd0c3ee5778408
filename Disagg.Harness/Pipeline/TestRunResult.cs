using Disagg.Harness.Publishing;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Pipeline;

/// <summary>
/// Everything one test produced, whichever stage it ended at: the judged run, one result per stage, the files written
/// (results.json, the diagnosis archive) and what was uploaded. Never thrown away: a failure anywhere still yields one.
/// </summary>
public sealed record TestRunResult(PerfCase Case, JudgedRun Run, IReadOnlyList<StageResult> Stages)
{
    public string TestId => Case.TestId;

    public bool Passed => Run.Passed;

    public PerfReport Report => Run.Report;

    public string? ResultsFile { get; init; }

    /// <summary>The failure-diagnosis package (the job's own, or one the runner built); null for a passed test.</summary>
    public string? DiagnosisArchive { get; init; }

    /// <summary>What the publish stage sent; null when nothing was published (dry run, upload off, the run broke).</summary>
    public UploadReport? Upload { get; init; }

    /// <summary>Set when uploads failed after retries: a warning for a passed test, never a change of the perf verdict.</summary>
    public string? UploadWarning { get; init; }

    /// <summary>The runner's time-stamped log of this test.</summary>
    public IReadOnlyList<string> LogLines { get; init; } = [];

    /// <summary>Earlier submissions that failed for infrastructure reasons and were retried elsewhere; empty when the first attempt was final.</summary>
    public IReadOnlyList<AttemptRecord> EarlierAttempts { get; init; } = [];

    /// <summary>Nodes excluded from the first submission because the bad-node ledger holds them suspect (--avoid-suspect-nodes).</summary>
    public IReadOnlyList<string> AvoidedNodes { get; init; } = [];

    /// <summary>
    /// What the verdict says about attempts: <c>infra failure on node3 (NCCL timeout), passed on retry</c>; null when the first
    /// attempt was the only one.
    /// </summary>
    public string? AttemptNote => Run.AttemptNote;

    /// <summary>The first stage that failed, or null.</summary>
    public StageResult? FailedStage => Stages.FirstOrDefault(s => s.Status == StageStatus.Failed);

    /// <summary>Files to attach to the test report, the diagnosis package first.</summary>
    public IEnumerable<(string Path, string Description)> Attachments()
    {
        if (DiagnosisArchive is { } archive) yield return (archive, "failure-diagnosis package: open summary.txt first");
        if (ResultsFile is { } results) yield return (results, "parsed results and verdicts");
    }
}
