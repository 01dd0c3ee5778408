namespace Disagg.Harness.Results;

/// <summary>Everything read from one benchmark log: the real blocks, the warm-up block kept apart, and parse problems.</summary>
public sealed record BenchmarkLog(
    string File,
    IReadOnlyList<ConcurrencyResult> Blocks,
    ConcurrencyResult? Warmup,
    IReadOnlyList<string> Problems)
{
    /// <summary>The client's output on its own (no driver lines): blocks are bound to the client's printed concurrency, no done lines expected.</summary>
    public bool IsBareClientLog { get; init; }
}
