namespace Disagg.Harness.Configuration;

/// <summary>
/// <c>metadata.metrics</c> / <c>metadata.accuracy.metrics</c>: a partial override of the metric parse
/// settings of the config's (test_type, category) pair. A null field keeps the pair's default.
/// </summary>
public sealed record MetricsOverride(string? LogFile, string? ExtractorPattern, IReadOnlyList<string>? MetricNames)
{
    public static readonly MetricsOverride None = new(null, null, null);

    public bool IsEmpty => LogFile is null && ExtractorPattern is null && MetricNames is null;
}

public enum ThresholdType { HypothesisTest }

public enum AccuracyFilter { FlexibleExtract, StrictMatch }

/// <summary>One <c>metadata.accuracy.datasets[]</c> entry with the per-dataset defaults filled in.</summary>
public sealed record AccuracyDataset(
    string DatasetName,
    double ExpectedValue,
    ThresholdType ThresholdType,
    AccuracyFilter FilterType,
    double Alpha,
    double Beta,
    double Sigma,
    int NumSamples,
    bool HigherIsBetter,
    string Source = "")
{
    /// <summary>The lm_eval filter row name, as printed in its result table.</summary>
    public string FilterName => FilterType == AccuracyFilter.StrictMatch ? "strict-match" : "flexible-extract";
}

public sealed record AccuracyThresholds(IReadOnlyList<AccuracyDataset> Datasets, MetricsOverride Metrics)
{
    public static readonly AccuracyThresholds None = new([], MetricsOverride.None);
}

/// <summary>Hypothesis-test defaults per dataset (config-schema.md §10.2).</summary>
public static class AccuracyDefaults
{
    public sealed record Parameters(double Alpha, double Beta, double Sigma, int NumSamples, bool HigherIsBetter);

    public static readonly Parameters Fallback = new(0.05, 0.2, 50, 1000, true);

    public static readonly IReadOnlyDictionary<string, Parameters> ByDataset = new Dictionary<string, Parameters>(StringComparer.Ordinal)
    {
        ["aime25"] = new(0.05, 0.2, 50, 30, true),
        ["gsm8k"] = new(0.05, 0.2, 50, 1319, true),
        ["mmlu"] = new(0.05, 0.2, 50, 4096, true),
        ["humaneval"] = new(0.002, 0.2, 15.08, 164, true),
        ["cnn_dailymail"] = new(0.002, 0.2, 11.06, 512, true),
        ["gpqa_diamond"] = new(0.05, 0.2, 50, 198, true),
        ["gpqa_diamond_local"] = new(0.05, 0.2, 50, 198, true),
        ["json_mode_eval"] = new(0.05, 0.2, 50, 100, true),
        ["mmmu"] = new(0.05, 0.2, 50, 900, true),
        ["passkey_retrieval_64k"] = new(0.5, 0.2, 0, 20, true),
        ["passkey_retrieval_128k"] = new(0.5, 0.2, 0, 20, true),
        ["zero_scrolls"] = new(0.002, 0.2, 6.97, 80, true),
        ["slimpajama-6b"] = new(0.01, 0.2, 4.48, 86, false),
    };

    public static Parameters For(string dataset) => ByDataset.TryGetValue(dataset, out var p) ? p : Fallback;
}
