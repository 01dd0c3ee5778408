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
    public bool Passed => Problems.Count == 0 && Verdicts.All(v => v.Passed);
}
