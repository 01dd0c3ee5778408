namespace Disagg.Harness.Publishing;

/// <summary>A node with infrastructure failures in the ledger's window, newest first, and whether it is over the threshold.</summary>
public sealed record SuspectNode(string Node, IReadOnlyList<NodeFailure> Failures, bool OverThreshold)
{
    public DateTimeOffset Last => Failures.Max(f => f.At);
}
