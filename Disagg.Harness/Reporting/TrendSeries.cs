using Disagg.Harness.Configuration;

namespace Disagg.Harness.Reporting;

/// <summary>One test, metric and concurrency over the last N runs, oldest first.</summary>
public sealed record TrendSeries(string TestId, string Metric, int Concurrency, Direction Direction, IReadOnlyList<TrendPoint> Points)
{
    public int Regressions => Points.Count(p => p.Mark == TrendMark.Regression);
}
