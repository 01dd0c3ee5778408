namespace Disagg.Harness.Publishing;

/// <summary>One "Checkpoint I/O policy: requested=…, selected=…, activated=…, effective=…" status a server logged.</summary>
public sealed record CheckpointIoPolicy(string Requested, string Selected, bool? Activated, string Effective);
