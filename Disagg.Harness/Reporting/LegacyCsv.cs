using System.Globalization;
using System.Text;

namespace Disagg.Harness.Reporting;

/// <summary>
/// The old disagg harness's <c>perf_script_test_results.csv</c>, for the dashboards and
/// <c>compare_backends.py</c> that still read it: one row per (test, concurrency, metric), columns in the legacy order.
/// </summary>
/// <remarks>
/// Differences from the old writer, on purpose: the file is regenerated from results.json (overwritten, not appended
/// to), so rerunning the report never duplicates rows; tests without benchmark results write no row (as before).
/// </remarks>
public static class LegacyCsv
{
    public const string FileName = "perf_script_test_results.csv";

    public static readonly IReadOnlyList<string> Columns =
    [
        "network_name", "network_hash", "sm_clk", "mem_clk", "gpu_idx", "perf_case_name", "test_name", "original_test_name",
        "perf_metric", "total_time__sec", "start_timestamp", "end_timestamp", "state", "command", "threshold",
        "absolute_threshold", "metric_type",
    ];

    /// <summary>Legacy metric names per test type and the results.json metric each one is.</summary>
    public static IReadOnlyList<(string Legacy, string Metric)> MetricsFor(string testId)
    {
        if (testId.StartsWith("wideep_", StringComparison.Ordinal))
        {
            return [.. from key in new[] { "ttft", "tpot", "itl", "e2el" }
                       from stat in new[] { "mean", "median", "p99" }
                       select ($"SERVER_{stat.ToUpperInvariant()}_{key.ToUpperInvariant()}", $"{stat}_{key}_ms")];
        }
        return [("SERVER_MEDIAN_TTFT", "median_ttft_ms"), ("SERVER_MEDIAN_E2EL", "median_e2el_ms")];
    }

    /// <summary>Locked graphics/memory clocks of the GPU table (GB200 2062/3996 MHz, every other GPU 0).</summary>
    public static (int Sm, int Mem) Clocks(string? gpuType) => gpuType == "GB200" ? (2062, 3996) : (0, 0);

    /// <param name="gpuType">The run's <c>GPU_TYPE</c>; selects <c>sm_clk</c>/<c>mem_clk</c>.</param>
    public static string Render(RunReport run, string? gpuType)
    {
        var (sm, mem) = Clocks(gpuType);
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Columns)).Append('\n');
        foreach (var t in run.Tests)
        {
            var metrics = MetricsFor(t.TestId);
            foreach (var c in t.Concurrencies)
            {
                var name = $"test_benchmark[{t.TestId}]_con:{c.Concurrency.ToString(CultureInfo.InvariantCulture)}";
                var command = $"disagg_benchmark --model={t.ModelName} --{t.Precision} --concurrency={c.Concurrency.ToString(CultureInfo.InvariantCulture)}";
                foreach (var (legacy, metric) in metrics)
                {
                    if (c[metric] is not { } value) continue;
                    string[] row =
                    [
                        name, name, sm.ToString(CultureInfo.InvariantCulture), mem.ToString(CultureInfo.InvariantCulture), "",
                        name, name, name, ReportFormat.Raw(value),
                        t.DurationSeconds is { } d ? ReportFormat.Raw(d) : "",
                        Timestamp(t.Start), Timestamp(t.End), "valid", command, "", "", legacy,
                    ];
                    sb.Append(string.Join(',', row.Select(ReportFormat.Csv))).Append('\n');
                }
            }
        }
        return sb.ToString();
    }

    private static string Timestamp(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";
}
