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

    /// <summary>
    /// Confirmation repeats ("Benchmarking with concurrency C ... N prompts (repeat K)"): extra samples of a planned concurrency
    /// (<see cref="ConcurrencyResult.SampleIndex"/> K), never new concurrencies; <see cref="Blocks"/> holds sample 0 only.
    /// </summary>
    public IReadOnlyList<ConcurrencyResult> Repeats { get; init; } = [];

    /// <summary>Every sample of a concurrency: the planned block first, then its repeats in order.</summary>
    public IReadOnlyList<ConcurrencyResult> SamplesOf(int concurrency) =>
        [.. Blocks.Where(b => b.Concurrency == concurrency).Take(1), .. Repeats.Where(r => r.Concurrency == concurrency).OrderBy(r => r.SampleIndex)];
}
