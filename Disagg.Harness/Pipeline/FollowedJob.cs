using Disagg.Harness.Execution;

namespace Disagg.Harness.Pipeline;

/// <summary>The follow stage's result: what went wrong while the job ran, the first error lines it quoted, and the phases seen.</summary>
public sealed record FollowedJob(IReadOnlyList<string> Problems, IReadOnlyList<string> FirstErrors, IReadOnlyList<PhaseEvent> Phases, bool SawEnd)
{
    /// <summary>Warnings of the live verdicts (a confirmation skipped for time or budget).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
