using System.Globalization;

namespace Disagg.Harness.Publishing;

/// <summary>
/// The benchmark client settings shared by every concurrency of a test, as documents record them. <see cref="Warmup"/>
/// is what the client did (Disagg's client sends no warm-up request), and <see cref="SpeculativeDecoding"/> is recorded
/// as <c>b_eos</c> and decides whether the acceptance length is part of the document.
/// </summary>
public sealed record ClientSettings(
    int Iterations,
    int Isl,
    int Osl,
    double RandomRangeRatio,
    string DatasetFile,
    string Backend,
    bool UseChatTemplate,
    bool Streaming,
    bool TrustRemoteCode,
    string EnvVars,
    bool SpeculativeDecoding)
{
    public bool UseNvSaBenchmark { get; init; }
    public bool Warmup { get; init; }

    /// <summary>The load generator: empty for the built-in benchmark client.</summary>
    public string BenchmarkClient { get; init; } = "";

    public string NameFor(int concurrency) => string.Create(CultureInfo.InvariantCulture, $"con{concurrency}_iter{Iterations}_isl{Isl}_osl{Osl}");
}
