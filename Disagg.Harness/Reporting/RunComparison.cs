using System.Text.Json.Nodes;
using Disagg.Harness.Configuration;
using Disagg.Harness.Publishing;

namespace Disagg.Harness.Reporting;

/// <summary>
/// Run A against run B: per test, metric and concurrency both runs have, the change and its significance against the
/// noise of the history before them (<see cref="NoiseBand"/> of the same key's values in earlier passing runs), worst
/// movers first; and what differed between the runs (commit, image, cluster, nodes, job state, config keys, tests only one
/// ran). Pure: built from what the reader returned.
/// </summary>
public sealed record RunComparison(string RunA, string RunB, IReadOnlyList<CompareRow> Rows, IReadOnlyList<RunDifference> Differences,
    int HistoryWindow)
{
    /// <summary>The metrics compared by default: throughputs and the median/p99 latencies.</summary>
    public static readonly IReadOnlyList<string> DefaultMetrics =
    [
        "output_token_throughput", PerfHistoryReader.PerGpuMetric, "user_throughput", "request_throughput",
        "median_ttft_ms", "p99_ttft_ms", "median_tpot_ms", "p99_tpot_ms", "median_itl_ms", "median_e2el_ms", "p99_e2el_ms",
    ];

    public int SignificantRegressions => Rows.Count(r => r.Worse && r.Significance == Significance.Significant);
    public int SignificantImprovements => Rows.Count(r => !r.Worse && r.WorsePct < 0 && r.Significance == Significance.Significant);

    public static RunComparison Build(string runA, string runB, IReadOnlyList<HistoryTest> testsA, IReadOnlyList<HistoryTest> testsB,
        IReadOnlyList<HistoryValue> valuesA, IReadOnlyList<HistoryValue> valuesB, IReadOnlyList<HistoryValue> history, int window)
    {
        var a = valuesA.ToDictionary(v => (v.TestId, v.Concurrency, v.Metric), v => v.Value);
        var noise = history.GroupBy(v => (v.TestId, v.Concurrency, v.Metric))
            .ToDictionary(g => g.Key, g => NoiseBand.Of(g.Select(v => v.Value)));
        var rows = new List<CompareRow>();
        foreach (var v in valuesB)
        {
            var key = (v.TestId, v.Concurrency, v.Metric);
            if (!a.TryGetValue(key, out var before)) continue;
            var direction = TrendAnalysis.DirectionOf(v.Metric);
            if (direction == Direction.None) continue;
            var band = noise.GetValueOrDefault(key);
            rows.Add(new CompareRow(v.TestId, v.Metric, v.Concurrency, direction, before, v.Value, band is null ? null : band.RelativeSigma * 100));
        }
        var ordered = rows.OrderByDescending(r => r.WorseSigmas).ThenBy(r => r.TestId, StringComparer.Ordinal)
            .ThenBy(r => r.Metric, StringComparer.Ordinal).ThenBy(r => r.Concurrency).ToList();
        return new RunComparison(runA, runB, ordered, DiffersIn(testsA, testsB), window);
    }

    /// <summary>What differed: run-wide facts once when every test agrees, else per test; then config keys per test.</summary>
    public static IReadOnlyList<RunDifference> DiffersIn(IReadOnlyList<HistoryTest> testsA, IReadOnlyList<HistoryTest> testsB)
    {
        var diffs = new List<RunDifference>();
        var byA = testsA.ToDictionary(t => t.TestId, StringComparer.Ordinal);
        var byB = testsB.ToDictionary(t => t.TestId, StringComparer.Ordinal);
        foreach (var (what, get) in Facts)
        {
            var va = testsA.Select(get).Distinct(StringComparer.Ordinal).ToList();
            var vb = testsB.Select(get).Distinct(StringComparer.Ordinal).ToList();
            if (va.Count <= 1 && vb.Count <= 1)
            {
                var (x, y) = (va.SingleOrDefault() ?? "", vb.SingleOrDefault() ?? "");
                if (x != y) diffs.Add(new RunDifference("", what, x, y));
                continue;
            }
            foreach (var id in byA.Keys.Intersect(byB.Keys).Order(StringComparer.Ordinal))
                if (get(byA[id]) is var x && get(byB[id]) is var y && x != y) diffs.Add(new RunDifference(id, what, x, y));
        }
        foreach (var id in byA.Keys.Except(byB.Keys).Order(StringComparer.Ordinal)) diffs.Add(new RunDifference(id, "test", "ran", "not run"));
        foreach (var id in byB.Keys.Except(byA.Keys).Order(StringComparer.Ordinal)) diffs.Add(new RunDifference(id, "test", "not run", "ran"));
        foreach (var id in byA.Keys.Intersect(byB.Keys).Order(StringComparer.Ordinal))
        {
            var fa = Flatten(byA[id].ConfigJson);
            var fb = Flatten(byB[id].ConfigJson);
            foreach (var key in fa.Keys.Union(fb.Keys).Where(k => k != "source_file").Order(StringComparer.Ordinal))
                if (fa.GetValueOrDefault(key, "(unset)") is var x && fb.GetValueOrDefault(key, "(unset)") is var y && x != y)
                    diffs.Add(new RunDifference(id, "config " + key, x, y));
        }
        return diffs;
    }

    private static readonly (string What, Func<HistoryTest, string> Get)[] Facts =
    [
        ("commit", t => t.Commit),
        ("container image", t => t.Image),
        ("cluster", t => t.Cluster),
        ("GPU type", t => t.GpuType),
        ("nodes", t => t.Nodes ?? ""),
        ("job state", t => t.JobState ?? ""),
        ("passed", t => t.Passed ? "yes" : "no"),
    ];

    /// <summary>A JSON config as dotted keys (<c>worker_config.gen.max_batch_size</c>) to scalar text.</summary>
    public static Dictionary<string, string> Flatten(string json)
    {
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return flat;
        void Walk(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (k, v) in o) Walk(v, path.Length == 0 ? k : $"{path}.{k}");
                    break;
                case JsonArray arr:
                    flat[path] = arr.ToJsonString();
                    break;
                case null:
                    flat[path] = "null";
                    break;
                default:
                    flat[path] = node.ToJsonString().Trim('"');
                    break;
            }
        }
        Walk(JsonNode.Parse(json), "");
        return flat;
    }
}
