using Disagg.Harness.Common;
using Disagg.Harness.Publishing;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Reporting;

/// <summary>
/// Whether a failed test failed for the infrastructure rather than for performance: the class the run stored
/// (<c>perf_tests.failure_class</c>, decided by <c>Thresholds/FailureClassifier</c>) when it has one. Rows written before
/// failure classes existed are read as before: a failed test that produced no result, or whose job SLURM ended in a
/// node, timeout, cancel or out-of-memory state, or whose problems name the job/node rather than a metric.
/// </summary>
public static class InfraFailureRule
{
    private static readonly string[] JobStates = ["NODE_FAIL", "TIMEOUT", "CANCELLED", "OUT_OF_MEMORY", "BOOT_FAIL", "PREEMPTED", "DEADLINE"];

    private static readonly string[] ProblemWords =
        ["node", "sbatch", "slurm", "queue", "heartbeat", "ssh", "cancelled", "timed out", "did not start", "health", "submit"];

    public static bool IsInfra(HistoryTest test, bool hasResults)
    {
        if (test.Passed) return false;
        if (test.FailureClass.Length > 0) return test.FailureClass == FailureClassification.Name(FailureClass.Infrastructure);
        if (!hasResults) return true;
        if (test.JobState is { } state && JobStates.Any(s => state.StartsWith(s, StringComparison.OrdinalIgnoreCase))) return true;
        return test.Problems.Count > 0 && test.Problems.All(p => ProblemWords.Any(w => p.Contains(w, StringComparison.OrdinalIgnoreCase)));
    }
}
