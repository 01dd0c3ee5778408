using Disagg.Harness.Configuration;
using Disagg.Harness.Publishing;

namespace Disagg.Harness.Reporting;

/// <summary>
/// Builds trend series from a test's runs and their values. Each point's baseline is the <see cref="NoiseBand"/> of the
/// values of up to <c>window</c> earlier passing runs (the rolling baseline); a point more than <c>k</c> sigmas from it in
/// the metric's bad direction is a regression, in the good direction an improvement. A failed run is marked failed or,
/// by <see cref="InfraFailureRule"/>, an infra failure, and never enters a baseline. Pure.
/// </summary>
public static class TrendAnalysis
{
    public const int DefaultWindow = 10;
    public const double DefaultSigmas = 3;

    /// <summary>Metric direction, with the per-GPU throughput (not a catalog metric) maximised.</summary>
    public static Direction DirectionOf(string metric) =>
        metric == PerfHistoryReader.PerGpuMetric ? Direction.Maximize : MetricCatalog.ByName(metric)?.Direction ?? Direction.None;

    public static IReadOnlyList<TrendSeries> Build(IReadOnlyList<HistoryTest> runs, IReadOnlyList<HistoryValue> values, IReadOnlyList<string> metrics,
        int window = DefaultWindow, double k = DefaultSigmas)
    {
        var ordered = runs.OrderBy(r => r.At).ThenBy(r => r.RunId, StringComparer.Ordinal).ToList();
        var byKey = values.GroupBy(v => (v.RunId, v.TestId)).ToDictionary(g => g.Key, g => g.ToList());
        var series = new List<TrendSeries>();
        foreach (var testId in ordered.Select(r => r.TestId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var testRuns = ordered.Where(r => r.TestId == testId).ToList();
            var testValues = testRuns.SelectMany(r => byKey.GetValueOrDefault((r.RunId, r.TestId)) ?? []).ToList();
            foreach (var metric in metrics)
                foreach (var concurrency in testValues.Where(v => v.Metric == metric).Select(v => v.Concurrency).Distinct().Order())
                    series.Add(One(testId, metric, concurrency, testRuns, byKey, window, k));
        }
        return series;
    }

    private static TrendSeries One(string testId, string metric, int concurrency, IReadOnlyList<HistoryTest> runs,
        Dictionary<(string, string), List<HistoryValue>> byKey, int window, double k)
    {
        var direction = DirectionOf(metric);
        var accepted = new List<double>();
        var points = new List<TrendPoint>();
        foreach (var run in runs)
        {
            var rows = byKey.GetValueOrDefault((run.RunId, run.TestId)) ?? [];
            var value = rows.FirstOrDefault(v => v.Metric == metric && v.Concurrency == concurrency)?.Value;
            var band = NoiseBand.Of(accepted.TakeLast(window));
            var sigmas = value is { } x && band is not null ? band.Sigmas(x) : 0;
            TrendMark mark;
            if (!run.Passed) mark = InfraFailureRule.IsInfra(run, rows.Count > 0) ? TrendMark.InfraFailure : TrendMark.Failed;
            else mark = Judge(direction, sigmas, k);
            points.Add(new TrendPoint(run.RunId, run.At, run.Commit, run.Image, value, band, mark, sigmas));
            if (run.Passed && value is { } v) accepted.Add(v);
        }
        return new TrendSeries(testId, metric, concurrency, direction, points);
    }

    /// <summary>Regression / improvement / normal from a point's signed distance to its baseline in sigmas.</summary>
    public static TrendMark Judge(Direction direction, double sigmas, double k)
    {
        var worse = direction switch
        {
            Direction.Maximize => -sigmas,
            Direction.Minimize => sigmas,
            _ => 0,
        };
        return worse >= k ? TrendMark.Regression : worse <= -k ? TrendMark.Improvement : TrendMark.Normal;
    }
}
