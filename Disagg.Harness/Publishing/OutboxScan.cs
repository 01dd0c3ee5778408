namespace Disagg.Harness.Publishing;

/// <summary>
/// What <see cref="Outbox.Scan"/> found: the valid entries (in file-name order), one message per file it moved to
/// <c>outbox/quarantine/</c>, and one per leftover <c>.tmp</c> file of an interrupted write (reported, left alone).
/// </summary>
public sealed record OutboxScan(IReadOnlyList<OutboxEntry> Entries, IReadOnlyList<string> Quarantined, IReadOnlyList<string> Leftovers);
