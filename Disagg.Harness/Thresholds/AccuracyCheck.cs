using System.Globalization;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>One <c>metadata.accuracy.datasets[]</c> entry with the per-dataset defaults filled in (config-schema.md §10.2).</summary>
public sealed record AccuracyDataset(string Name, double ExpectedValue, string FilterType, double Alpha, double Beta, double Sigma, int NumSamples, bool HigherIsBetter, string Source)
{
    /// <summary>(alpha, beta, sigma, num_samples, higher_is_better) per dataset; others use the fallback.</summary>
    public static (double Alpha, double Beta, double Sigma, int N, bool Higher) Defaults(string dataset) => dataset switch
    {
        "aime25" => (0.05, 0.2, 50, 30, true),
        "gsm8k" => (0.05, 0.2, 50, 1319, true),
        "mmlu" => (0.05, 0.2, 50, 4096, true),
        "humaneval" => (0.002, 0.2, 15.08, 164, true),
        "cnn_dailymail" => (0.002, 0.2, 11.06, 512, true),
        "gpqa_diamond" or "gpqa_diamond_local" => (0.05, 0.2, 50, 198, true),
        "json_mode_eval" => (0.05, 0.2, 50, 100, true),
        "mmmu" => (0.05, 0.2, 50, 900, true),
        "passkey_retrieval_64k" or "passkey_retrieval_128k" => (0.5, 0.2, 0, 20, true),
        "zero_scrolls" => (0.002, 0.2, 6.97, 80, true),
        "slimpajama-6b" => (0.01, 0.2, 4.48, 86, false),
        _ => (0.05, 0.2, 50, 1000, true),
    };
}

/// <summary>The outcome of one dataset's hypothesis test, worded as the reference does.</summary>
public sealed record AccuracyVerdict(AccuracyDataset Dataset, double? ActualPercent, double ExpectedPercent, double ThresholdPercent, bool Passed, string Message);

/// <summary>
/// The hypothesis-test threshold of config-schema.md §10.2: ref = expected (×100 when ≤ 1 and sigma > 1),
/// scale = sqrt(2·sigma²/n), z = Φ⁻¹(alpha), threshold = ref + z·scale (higher is better) or ref − z·scale;
/// pass when actual×100 is on the good side of the threshold.
/// </summary>
public static class AccuracyCheck
{
    public static double ReferencePercent(AccuracyDataset d) => d.ExpectedValue <= 1.0 && d.Sigma > 1.0 ? d.ExpectedValue * 100 : d.ExpectedValue;

    public static double Threshold(AccuracyDataset d)
    {
        var scale = Math.Sqrt(2 * d.Sigma * d.Sigma / d.NumSamples);
        var z = InverseNormal.Quantile(d.Alpha);
        return d.HigherIsBetter ? ReferencePercent(d) + z * scale : ReferencePercent(d) - z * scale;
    }

    public static AccuracyVerdict Evaluate(AccuracyDataset dataset, IReadOnlyList<LmEvalRow> rows, string logFile)
    {
        var reference = ReferencePercent(dataset);
        var threshold = Threshold(dataset);
        var op = dataset.HigherIsBetter ? ">=" : "<=";
        if (LmEvalTable.Find(rows, dataset.Name, dataset.FilterType) is not { } row)
        {
            var seen = string.Join(", ", rows.Select(r => $"{r.Task}/{r.Filter}").Distinct());
            return new AccuracyVerdict(dataset, null, reference, threshold, false,
                $"{logFile}: no '{dataset.FilterType}' row for dataset '{dataset.Name}' (rows found: {(seen.Length == 0 ? "none" : seen)}); check dataset_name and filter_type ({dataset.Source})");
        }
        var actual = row.Value * 100;
        var passed = dataset.HigherIsBetter ? actual >= threshold : actual <= threshold;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{dataset.Name} ({dataset.FilterType}, {logFile}:{row.Line}): Hypothesis test: actual={actual:0.00}%, expected={reference:0.00}%, threshold={threshold:0.00}%, required: {op} threshold{(passed ? "" : " -> FAILED")}");
        return new AccuracyVerdict(dataset, actual, reference, threshold, passed, message);
    }
}
