using Disagg.Harness.Common;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// The baseline of one metric (docs/thresholds.md, "Baseline regression"): group the points by UTC day, take each day's
/// mean, sort by day, apply a trailing rolling mean over 3 rows (shorter at the start; days without
/// data are not rows, so a gap does not shrink the window), then take P95 of the rolled series for a
/// maximize metric and P5 for a minimize metric, with linear interpolation (k = p/100 × (n−1)).
/// Non-finite points are ignored. Null when there is no point.
/// </summary>
public static class Baseline
{
    public const int RollingWindow = 3;

    public static double? Compute(IEnumerable<(DateTimeOffset At, double Value)> points, Direction direction)
    {
        if (direction == Direction.None) throw new ArgumentException("a baseline needs a maximize or minimize metric", nameof(direction));
        var rolled = RollingMean(DailyMeans(points).Select(d => d.Mean).ToList(), RollingWindow);
        if (rolled.Count == 0) return null;
        return Percentiles.Of(rolled, direction == Direction.Maximize ? 95 : 5);
    }

    public static IReadOnlyList<(DateOnly Day, double Mean)> DailyMeans(IEnumerable<(DateTimeOffset At, double Value)> points) =>
        points.Where(p => double.IsFinite(p.Value))
            .GroupBy(p => DateOnly.FromDateTime(p.At.UtcDateTime))
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Average(p => p.Value)))
            .ToList();

    public static IReadOnlyList<double> RollingMean(IReadOnlyList<double> values, int window)
    {
        var result = new List<double>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var from = Math.Max(0, i - window + 1);
            var sum = 0.0;
            for (var j = from; j <= i; j++) sum += values[j];
            result.Add(sum / (i - from + 1));
        }
        return result;
    }

}
