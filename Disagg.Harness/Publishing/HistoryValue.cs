namespace Disagg.Harness.Publishing;

/// <summary>
/// One metric of one concurrency of one test of one run. Several rows of the same key (samples) are averaged by the
/// reader, so the value is the run's figure for the key.
/// </summary>
public sealed record HistoryValue(string RunId, string TestId, int Concurrency, string Metric, double Value);
