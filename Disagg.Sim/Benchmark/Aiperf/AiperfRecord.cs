namespace Disagg.Sim.Benchmark.Aiperf;

/// <summary>
/// One request as aiperf records it: start and end in seconds since the run began, and for a success the per-request
/// metrics (ms and tokens); for a failure the error type and message.
/// </summary>
internal sealed record AiperfRecord(int Index, double StartS, double EndS, int InputLength)
{
    public bool Success { get; init; }

    public double TtftMs { get; init; }

    public double LatencyMs { get; init; }

    public int OutputLength { get; init; }

    public string ErrorType { get; init; } = "";

    public string ErrorMessage { get; init; } = "";

    public int ErrorCode { get; init; }

    /// <summary>aiperf's inter_token_latency: (latency − TTFT) / (OSL − 1); null below two output tokens.</summary>
    public double? InterTokenLatencyMs => OutputLength >= 2 ? (LatencyMs - TtftMs) / (OutputLength - 1) : null;

    /// <summary>aiperf's output_token_throughput_per_user: 1 / inter_token_latency, in tokens/sec/user.</summary>
    public double? PerUserTokensPerS => InterTokenLatencyMs is > 0 and var itl ? 1000.0 / itl : null;
}
