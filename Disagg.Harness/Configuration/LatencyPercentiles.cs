using System.Text.RegularExpressions;

namespace Disagg.Harness.Configuration;

/// <summary>
/// Any percentile of a latency the client prints (one <c>P&lt;p&gt; X (ms):</c> line per <c>--metric-percentiles</c> value):
/// <c>P90 TTFT (ms):</c> is <c>p90_ttft_ms</c>, <c>P99.9 E2EL (ms):</c> is <c>p99_9_e2el_ms</c>. Lower is better; the
/// document field is <c>d_p&lt;p&gt;_&lt;metric&gt;</c>, as for the P99 fields of the catalog.
/// </summary>
public static partial class LatencyPercentiles
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["ttft"] = "TTFT", ["tpot"] = "TPOT", ["itl"] = "ITL", ["e2el"] = "E2EL",
    };

    [GeneratedRegex(@"^p(?<p>[0-9]{1,2}(?:_[0-9]{1,3})?)_(?<m>ttft|tpot|itl|e2el)_ms$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^P(?<p>[0-9]{1,2}(?:\.[0-9]{1,3})?) (?<m>TTFT|TPOT|ITL|E2EL) \(ms\):$")]
    private static partial Regex LabelPattern();

    public static MetricInfo? ByName(string name)
    {
        var m = NamePattern().Match(name);
        return m.Success ? Info(m.Groups["p"].Value, m.Groups["m"].Value) : null;
    }

    public static MetricInfo? ByLabel(string label)
    {
        var m = LabelPattern().Match(label);
        return m.Success ? Info(m.Groups["p"].Value.Replace('.', '_'), m.Groups["m"].Value.ToLowerInvariant()) : null;
    }

    private static MetricInfo Info(string p, string metric) =>
        new($"p{p}_{metric}_ms", $"P{p.Replace('_', '.')} {Labels[metric]} (ms):", "ms", Direction.Minimize, $"d_p{p}_{metric}");
}
