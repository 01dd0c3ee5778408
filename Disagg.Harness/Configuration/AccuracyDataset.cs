namespace Disagg.Harness.Configuration;

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
