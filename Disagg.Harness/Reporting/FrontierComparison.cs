namespace Disagg.Harness.Reporting;

/// <summary>
/// Two frontiers at matched interactivity: at every per-user throughput where either frontier has a point and both are
/// defined (their overlap), each frontier's interpolated per-GPU throughput. Pure.
/// </summary>
public static class FrontierComparison
{
    public static IReadOnlyList<FrontierRow> Compare(IReadOnlyList<ParetoPoint> a, IReadOnlyList<ParetoPoint> b)
    {
        if (a.Count == 0 || b.Count == 0) return [];
        var low = Math.Max(a[0].UserTps, b[0].UserTps);
        var high = Math.Min(a[^1].UserTps, b[^1].UserTps);
        var rows = new List<FrontierRow>();
        foreach (var x in a.Concat(b).Select(p => p.UserTps).Where(x => x >= low - 1e-9 && x <= high + 1e-9).Distinct().Order())
            if (ParetoFrontier.At(a, x) is { } ya && ParetoFrontier.At(b, x) is { } yb)
                rows.Add(new FrontierRow(x, ya, yb));
        return rows;
    }
}
