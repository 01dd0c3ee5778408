namespace Disagg.Sim.Benchmark.Client;

/// <summary>What one request produced, in seconds (the Python client's <c>RequestFuncOutput</c>).</summary>
internal sealed class RequestOutcome
{
    public bool Success { get; set; }

    public double Latency { get; set; }

    public double Ttft { get; set; }

    public List<double> Itl { get; } = [];

    /// <summary><c>usage.completion_tokens</c> as reported by the server (0 when absent).</summary>
    public int OutputTokens { get; set; }

    public int PromptLen { get; init; }

    public string GeneratedText { get; set; } = string.Empty;

    public string Error { get; set; } = string.Empty;

    /// <summary>Python exception class name for transport errors (null for HTTP status errors).</summary>
    public string? ExceptionType { get; set; }
}
