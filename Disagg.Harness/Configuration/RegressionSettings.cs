namespace Disagg.Harness.Configuration;

/// <summary>
/// The <c>regression:</c> section of a config (docs/thresholds.md). Tolerances are fractions (0.05 = 5 %).
/// <see cref="GatingMetrics"/> null means the defaults of <see cref="DefaultGating"/>.
/// </summary>
public sealed record RegressionSettings(
    bool Enabled,
    IReadOnlyList<string>? GatingMetrics,
    double PostMergeTolerance,
    double PreMergeTolerance,
    IReadOnlyDictionary<string, ToleranceOverride> PerMetric,
    int LookbackDays,
    FailOnRegression FailOn,
    string Source)
{
    public const int DefaultConfirmRuns = 2;
    public const double DefaultAlpha = 0.01;
    public const double DefaultConfirmExtraTime = 0.25;
    public const int DefaultHistoryRuns = 30;

    /// <summary>Which rule judges (section present without <c>rule</c>: noise_aware; no section: fixed).</summary>
    public RegressionRuleKind Rule { get; init; } = RegressionRuleKind.Fixed;

    /// <summary><c>confirm_runs</c>: at most this many repeats per suspect concurrency (0 = never confirm).</summary>
    public int ConfirmRuns { get; init; } = DefaultConfirmRuns;

    /// <summary><c>alpha</c>: the one-sided significance level.</summary>
    public double Alpha { get; init; } = DefaultAlpha;

    /// <summary><c>confirm_extra_time</c>: repeats may add at most this fraction of the job's time limit.</summary>
    public double ConfirmExtraTime { get; init; } = DefaultConfirmExtraTime;

    /// <summary><c>history_runs</c>: the newest matched runs the noise estimate and the noise-aware baseline use.</summary>
    public int HistoryRuns { get; init; } = DefaultHistoryRuns;

    /// <summary>Whether the job's benchmark driver waits for confirmation requests after its planned list.</summary>
    public bool Confirms => Enabled && Rule == RegressionRuleKind.NoiseAware && ConfirmRuns > 0;

    public const double DefaultPostMerge = 0.05;
    public const double DefaultPreMerge = 0.10;
    public const int DefaultLookbackDays = 90;

    public static RegressionSettings Default { get; } = new(true, null, DefaultPostMerge, DefaultPreMerge,
        new Dictionary<string, ToleranceOverride>(StringComparer.Ordinal), DefaultLookbackDays, FailOnRegression.Auto, "defaults");

    /// <summary>
    /// The gating metrics when the config names none: the two token throughputs, plus the acceptance length
    /// with speculative decoding (any <c>decoding_type</c> on ctx or gen); gen_only gates on the mean and the median
    /// per-iteration device step time instead (a real slowdown moves both, one anomalous iteration only the mean).
    /// </summary>
    public static IReadOnlyList<string> DefaultGating(bool genOnly, bool speculativeDecoding) =>
        genOnly ? ["mean_gen_worker_per_iter_device_step_time", "median_gen_worker_per_iter_device_step_time"]
        : speculativeDecoding ? ["output_token_throughput", "total_token_throughput", "mean_avg_decoded_tokens_per_iter"]
        : ["output_token_throughput", "total_token_throughput"];

    public IReadOnlyList<string> Gating(bool genOnly, bool speculativeDecoding) => GatingMetrics ?? DefaultGating(genOnly, speculativeDecoding);

    public double Tolerance(string metric, RunKind kind)
    {
        var custom = PerMetric.GetValueOrDefault(metric);
        return kind == RunKind.PostMerge ? custom?.PostMerge ?? PostMergeTolerance : custom?.PreMerge ?? PreMergeTolerance;
    }
}
