namespace Disagg.Harness.Thresholds;

/// <summary>
/// One past result of one test case: when it was stored, its <see cref="CaseKey"/>, whether it was post-merge, its metric
/// values keyed by catalog name (<c>output_token_throughput</c>, not <c>d_token_throughput</c>), and the baseline and
/// threshold fields it carries (<c>d_baseline_*</c>, <c>d_threshold_*</c>, by document field name).
/// </summary>
public sealed record HistoryRecord(DateTimeOffset Timestamp, CaseKey Key, IReadOnlyDictionary<string, double> Metrics, bool IsPostMerge = true)
{
    private static readonly IReadOnlyDictionary<string, double> None = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Numeric <c>d_baseline_*</c> and <c>d_threshold_*</c> fields of the stored document.</summary>
    public IReadOnlyDictionary<string, double> Pinned { get; init; } = None;

    /// <summary>Whether the document has any <c>d_baseline_*</c> field (whatever its value): such a record pins baselines and thresholds.</summary>
    public bool HasBaselineFields { get; init; }

    public double? this[string metric] => Metrics.TryGetValue(metric, out var v) && double.IsFinite(v) ? v : null;
}
