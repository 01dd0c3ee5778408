namespace Disagg.Harness.Reporting;

/// <summary>
/// One run of a trend series: its value (null when the run has none, e.g. an infra failure), the baseline and band of
/// the runs before it, and its mark. Labelled by run id, commit and container image.
/// </summary>
public sealed record TrendPoint(string RunId, DateTimeOffset At, string Commit, string Image, double? Value, NoiseBand? Band, TrendMark Mark,
    double Sigmas = 0);
