namespace Disagg.Sim.Benchmark.Aiperf;

/// <summary>One line of a mooncake_trace dataset.</summary>
internal sealed record MooncakeEntry(int InputLength, int OutputLength, IReadOnlyList<long> HashIds, double? TimestampMs);
