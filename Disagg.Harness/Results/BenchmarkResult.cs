namespace Disagg.Harness.Results;

/// <summary>The parsed result block of one concurrency, with where it came from.</summary>
public sealed record ConcurrencyResult(
    int Concurrency,
    int? Prompts,
    IReadOnlyDictionary<string, double> Metrics,
    bool FailedBanner,
    int StartLine,
    int EndLine,
    bool DoneLineSeen)
{
    public double? this[string metric] => Metrics.TryGetValue(metric, out var v) ? v : null;
}

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
