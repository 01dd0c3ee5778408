namespace Disagg.Harness.Publishing;

/// <summary>What SLURM said about the job, and when the test started and ended.</summary>
public sealed record JobFacts(
    string? JobId,
    string? State,
    string? ExitCode,
    string? Nodes,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double DurationSeconds);
