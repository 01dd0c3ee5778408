namespace Disagg.Sim.Benchmark;

/// <summary>The arguments of one benchmark_serving run (names follow the Python client's <c>Namespace</c>).</summary>
internal sealed record BenchmarkOptions
{
    public required string Model { get; init; }

    public string Backend { get; init; } = "openai";

    public string? BaseUrl { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 8000;

    public string Endpoint { get; init; } = "/v1/completions";

    public string DatasetName { get; init; } = "random";

    public string? DatasetPath { get; init; }

    public int? MaxConcurrency { get; init; }

    public string? Tokenizer { get; init; }

    public int NumPrompts { get; init; } = 1000;

    public double RequestRate { get; init; } = double.PositiveInfinity;

    public double Burstiness { get; init; } = 1.0;

    public bool NonStreaming { get; init; }

    public int Seed { get; init; }

    public bool TrustRemoteCode { get; init; }

    public bool DisableTqdm { get; init; }

    public bool SaveResult { get; init; }

    public bool SaveDetailed { get; init; }

    public IReadOnlyList<string>? Metadata { get; init; }

    public string? ResultDir { get; init; }

    public string? ResultFilename { get; init; }

    public bool IgnoreEos { get; init; }

    public string PercentileMetrics { get; init; } = "ttft,tpot,itl";

    public string MetricPercentiles { get; init; } = "99";

    public int RandomInputLen { get; init; } = 1024;

    public int RandomOutputLen { get; init; } = 128;

    public double RandomRangeRatio { get; init; }

    public int RandomPrefixLen { get; init; }

    public bool RandomIds { get; init; }

    public bool TokenizeOnClient { get; init; }

    public string? ServedModelName { get; init; }

    public bool NoTestInput { get; init; }

    public bool UseChatTemplate { get; init; }

    /// <summary>
    /// The SA client (<c>benchmark-sa</c>): lengths drawn from [len·r, len], a result block without request counts or user
    /// throughput, and no failed-request line of its own (the driver script reads it from result.json).
    /// </summary>
    public bool SaClient { get; init; }

    public double? Temperature { get; init; }

    /// <summary>The URL requests are posted to.</summary>
    public string ApiUrl => (BaseUrl ?? $"http://{Host}:{Port}") + (Backend == "openai-chat" ? "/v1/chat/completions" : Endpoint);

    public IReadOnlyList<string> SelectedMetrics =>
        PercentileMetrics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<double> SelectedPercentiles =>
        MetricPercentiles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => double.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>The model name sent in requests.</summary>
    public string RequestModel => ServedModelName ?? Model;
}
