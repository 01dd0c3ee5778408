namespace Disagg.Harness.Reporting;

public sealed record PhaseRecord(DateTimeOffset At, string Phase);
