using Disagg.Harness.Configuration;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// The metrics a perf document carries and the regression pass describes, in the order dashboards and
/// <c>s_regression_info</c> list them: throughputs, TPOT, acceptance length, then TTFT, ITL, E2EL and the gen_only step
/// times. Every post-merge document pins a baseline and two thresholds for each of them. Directions come from
/// <see cref="MetricCatalog"/>: TPOT is a latency here (lower is better).
/// </summary>
public static class DocumentMetrics
{
    public static readonly IReadOnlyList<string> Fields =
    [
        "d_seq_throughput", "d_token_throughput", "d_total_token_throughput", "d_user_throughput",
        "d_mean_tpot", "d_median_tpot", "d_p99_tpot", "d_al",
        "d_mean_ttft", "d_median_ttft", "d_p99_ttft",
        "d_mean_itl", "d_median_itl", "d_p99_itl",
        "d_mean_e2el", "d_median_e2el", "d_p99_e2el",
        "d_mean_gen_worker_per_iter_device_step_time", "d_median_gen_worker_per_iter_device_step_time",
        "d_std_gen_worker_per_iter_device_step_time", "d_p75_gen_worker_per_iter_device_step_time",
        "d_p99_gen_worker_per_iter_device_step_time",
    ];

    /// <summary>The sixteen client metrics every document has (the acceptance length and step times are conditional).</summary>
    public static readonly IReadOnlyList<string> Client =
    [
        "d_seq_throughput", "d_token_throughput", "d_total_token_throughput", "d_user_throughput",
        "d_mean_ttft", "d_median_ttft", "d_p99_ttft", "d_mean_itl", "d_median_itl", "d_p99_itl",
        "d_mean_tpot", "d_median_tpot", "d_p99_tpot", "d_mean_e2el", "d_median_e2el", "d_p99_e2el",
    ];

    public const string AcceptanceLength = "d_al";

    public static readonly IReadOnlyList<string> StepTimes =
        [.. Fields.Where(f => f.EndsWith("_gen_worker_per_iter_device_step_time", StringComparison.Ordinal))];

    private static readonly Dictionary<string, string> CatalogByField = MetricCatalog.All
        .Where(m => m.DocumentField is not null)
        .ToDictionary(m => m.DocumentField!, m => m.Name, StringComparer.Ordinal);

    /// <summary>The catalog name of a document metric field.</summary>
    public static string CatalogName(string field) =>
        CatalogByField.TryGetValue(field, out var name) ? name : throw new ArgumentException($"'{field}' is not a document metric", nameof(field));

    /// <summary><c>d_token_throughput</c> → <c>token_throughput</c>: the suffix of the baseline and threshold fields.</summary>
    public static string Suffix(string field) => field[2..];

    public static string BaselineField(string field) => $"d_baseline_{Suffix(field)}";

    public static string ThresholdField(string field, RunKind kind) =>
        kind == RunKind.PostMerge ? $"d_threshold_post_merge_{Suffix(field)}" : $"d_threshold_pre_merge_{Suffix(field)}";
}
