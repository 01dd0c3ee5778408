using Disagg.Sim.Benchmark.Metrics;

namespace Disagg.Sim.Benchmark.Aiperf;

/// <summary>
/// One metric block of profile_export_aiperf.json: a record metric (a distribution: avg, min, max, p1..p99, std, count,
/// sum) or a derived/aggregate one (only <c>avg</c>), with its display unit and console header.
/// </summary>
internal sealed record AiperfStat(string Tag, string Header, string Unit, IReadOnlyList<double>? Values, double Scalar)
{
    public static readonly IReadOnlyList<(string Name, double P)> PercentileFields =
        [("p1", 1), ("p5", 5), ("p10", 10), ("p25", 25), ("p50", 50), ("p75", 75), ("p90", 90), ("p95", 95), ("p99", 99)];

    public bool IsRecord => Values is not null;

    public double Avg => Values is { } v ? LatencyStats.Mean(v) : Scalar;

    public static AiperfStat Record(string tag, string header, string unit, IReadOnlyList<double> values) => new(tag, header, unit, values, 0);

    public static AiperfStat Derived(string tag, string header, string unit, double value) => new(tag, header, unit, null, value);

    /// <summary>The stat fields in export order: avg, min, max, p1..p99, std (record metrics), or avg alone.</summary>
    public IEnumerable<(string Name, double Value)> Fields()
    {
        yield return ("avg", Avg);
        if (Values is not { } v)
        {
            yield break;
        }

        yield return ("min", v.Min());
        yield return ("max", v.Max());
        foreach (var (name, p) in PercentileFields)
        {
            yield return (name, LatencyStats.Percentile(v, p));
        }

        yield return ("std", LatencyStats.Std(v));
    }

    public double Field(string name) => Fields().First(f => f.Name == name).Value;
}
