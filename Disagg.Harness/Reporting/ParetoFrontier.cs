namespace Disagg.Harness.Reporting;

/// <summary>
/// The throughput/interactivity frontier serving teams compare configurations by: the points no other point beats on
/// both per-user throughput and per-GPU throughput, ordered by per-user throughput; and the frontier's value at a given
/// per-user throughput by linear interpolation between its neighbours (none outside its range). Pure.
/// </summary>
public static class ParetoFrontier
{
    /// <summary>The non-dominated points, ascending in per-user throughput (and so descending in per-GPU throughput).</summary>
    public static IReadOnlyList<ParetoPoint> Of(IEnumerable<ParetoPoint> points)
    {
        var frontier = new List<ParetoPoint>();
        var best = double.NegativeInfinity;
        foreach (var p in points.Where(p => double.IsFinite(p.UserTps) && double.IsFinite(p.PerGpuTps))
                     .OrderByDescending(p => p.UserTps).ThenByDescending(p => p.PerGpuTps))
        {
            if (p.PerGpuTps <= best) continue;
            frontier.Add(p);
            best = p.PerGpuTps;
        }
        frontier.Reverse();
        return frontier;
    }

    /// <summary>Per-GPU throughput of the frontier at <paramref name="userTps"/>, or null outside its per-user range.</summary>
    public static double? At(IReadOnlyList<ParetoPoint> frontier, double userTps)
    {
        if (frontier.Count == 0 || userTps < frontier[0].UserTps - 1e-9 || userTps > frontier[^1].UserTps + 1e-9) return null;
        for (var i = 0; i < frontier.Count; i++)
        {
            if (Math.Abs(frontier[i].UserTps - userTps) < 1e-9) return frontier[i].PerGpuTps;
            if (i + 1 < frontier.Count && userTps < frontier[i + 1].UserTps)
            {
                var (a, b) = (frontier[i], frontier[i + 1]);
                var t = (userTps - a.UserTps) / (b.UserTps - a.UserTps);
                return a.PerGpuTps + t * (b.PerGpuTps - a.PerGpuTps);
            }
        }
        return frontier[^1].PerGpuTps;
    }
}
