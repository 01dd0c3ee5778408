namespace Disagg.Harness.Execution;

/// <summary>One phase a followed job reported (SLURM state change or a <c>job_phases.log</c> marker), with when it happened.</summary>
public sealed record PhaseEvent(DateTimeOffset At, string Phase);
