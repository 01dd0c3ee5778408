using System.Globalization;

namespace Disagg.Harness.Pipeline;

/// <summary>How one stage of a test went: its status, how long it took and one line saying what it did or why it failed.</summary>
public sealed record StageResult(PipelineStage Stage, StageStatus Status, TimeSpan Duration, string Detail)
{
    /// <summary>Which submission of the test the stage belongs to (an infrastructure failure is retried elsewhere): 1, 2, ...</summary>
    public int Attempt { get; init; } = 1;

    public override string ToString() =>
        (Attempt > 1 ? $"attempt {Attempt} " : "") + $"{Stage.ToString().ToLowerInvariant()}: {Status.ToString().ToLowerInvariant()} "
        + $"({Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s) {Detail}";
}
