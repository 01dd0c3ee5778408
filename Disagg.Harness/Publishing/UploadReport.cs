namespace Disagg.Harness.Publishing;

/// <summary>The outcome of sending outbox entries: lines to log, and one failure message per entry still pending.</summary>
public sealed record UploadReport(IReadOnlyList<string> Lines, IReadOnlyList<string> Failures)
{
    public bool Succeeded => Failures.Count == 0;

    /// <summary>The same failures as <see cref="Failures"/>, as test id, destination, reason and outbox path.</summary>
    public IReadOnlyList<UploadFailure> Failed { get; init; } = [];

    /// <summary>Files of the outbox moved to <c>outbox/quarantine/</c> instead of being sent, one message each.</summary>
    public IReadOnlyList<string> Quarantined { get; init; } = [];

    /// <summary>Leftover <c>.tmp</c> files of interrupted writes, one message each (left in place).</summary>
    public IReadOnlyList<string> Leftovers { get; init; } = [];
}
