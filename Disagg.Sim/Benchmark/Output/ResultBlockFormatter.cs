using System.Text;
using Disagg.Sim.Benchmark.Metrics;

namespace Disagg.Sim.Benchmark.Output;

/// <summary>
/// Renders the client's result block byte for byte: padded label/value lines (with their trailing
/// spaces), centred section headers, the FAILED REQUESTS banners when any request failed, one section per selected
/// metric and the closing 50 '=' line.
/// </summary>
internal static class ResultBlockFormatter
{
    private static readonly (string Key, string Name, string Header)[] MetricSections =
    [
        ("ttft", "TTFT", "Time to First Token"),
        ("tpot", "TPOT", "Time per Output Token (excl. 1st token)"),
        ("itl", "ITL", "Inter-token Latency"),
        ("e2el", "E2EL", "End-to-end Latency"),
    ];

    /// <param name="saClient">The SA client's block: no request counts, no user throughput, no banners, no Std Dev lines.</param>
    public static string Format(BenchmarkMetrics metrics, IReadOnlyList<string> selectedMetrics, bool saClient = false)
    {
        var block = new StringBuilder();
        void Line(string text) => block.Append(text).Append('\n');

        Line(PyFormat.Center(" Serving Benchmark Result ", 50, '='));
        if (!saClient) Line(PyFormat.IntLine("Total requests:", metrics.TotalRequests));
        Line(PyFormat.IntLine("Successful requests:", metrics.Completed));
        if (!saClient) Line(PyFormat.IntLine("Failed requests:", metrics.Failed));
        Line(PyFormat.FloatLine("Benchmark duration (s):", metrics.DurationSeconds));
        Line(PyFormat.IntLine("Total input tokens:", metrics.TotalInput));
        Line(PyFormat.IntLine("Total generated tokens:", metrics.TotalOutput));
        Line(PyFormat.FloatLine("Request throughput (req/s):", metrics.RequestThroughput));
        Line(PyFormat.FloatLine("Output token throughput (tok/s):", metrics.OutputThroughput));
        Line(PyFormat.FloatLine("Total Token throughput (tok/s):", metrics.TotalTokenThroughput));
        if (!saClient) Line(PyFormat.FloatLine("User throughput (tok/s):", metrics.UserThroughput));
        if (metrics.Failed > 0 && !saClient)
        {
            Line("=======================!FAILED REQUESTS!=======================");
            Line($"Total failed requests: {metrics.Failed}");
            Line("=====================!CHECK LOG FOR ERRORS!====================");
        }

        foreach (var (key, name, header) in MetricSections)
        {
            if (!selectedMetrics.Contains(key, StringComparer.Ordinal))
            {
                continue;
            }

            var summary = metrics.Get(key);
            Line(PyFormat.Center(header, 50, '-'));
            Line(PyFormat.FloatLine($"Mean {name} (ms):", summary.Mean));
            Line(PyFormat.FloatLine($"Median {name} (ms):", summary.Median));
            if (!saClient) Line(PyFormat.FloatLine($"Std Dev {name} (ms):", summary.Std));
            foreach (var percentile in summary.Percentiles)
            {
                Line(PyFormat.FloatLine($"P{percentile.Word} {name} (ms):", percentile.Value));
            }
        }

        Line(new string('=', 50));
        return block.ToString();
    }
}
