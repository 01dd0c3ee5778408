using System.Globalization;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// The accuracy hypothesis-test threshold (docs/thresholds.md, "Accuracy"): ref = expected (×100 when ≤ 1 and sigma > 1),
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
        if (LmEvalTable.Find(rows, dataset.DatasetName, dataset.FilterName) is not { } row)
        {
            var seen = string.Join(", ", rows.Select(r => $"{r.Task}/{r.Filter}").Distinct());
            return new AccuracyVerdict(dataset, null, reference, threshold, false,
                $"{logFile}: no '{dataset.FilterName}' row for dataset '{dataset.DatasetName}' (rows found: {(seen.Length == 0 ? "none" : seen)}); "
                + $"check dataset_name and filter_type ({dataset.Source})");
        }
        var actual = row.Value * 100;
        var passed = dataset.HigherIsBetter ? actual >= threshold : actual <= threshold;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{dataset.DatasetName} ({dataset.FilterName}, {logFile}:{row.Line}): Hypothesis test: actual={actual:0.00}%, expected={reference:0.00}%, "
            + $"threshold={threshold:0.00}%, required: {op} threshold{(passed ? "" : " -> FAILED")}");
        return new AccuracyVerdict(dataset, actual, reference, threshold, passed, message);
    }
}
