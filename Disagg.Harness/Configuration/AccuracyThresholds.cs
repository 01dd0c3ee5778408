namespace Disagg.Harness.Configuration;

public sealed record AccuracyThresholds(IReadOnlyList<AccuracyDataset> Datasets, MetricsOverride Metrics)
{
    public static readonly AccuracyThresholds None = new([], MetricsOverride.None);
}
