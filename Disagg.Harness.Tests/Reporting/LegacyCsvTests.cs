using System.Globalization;
using Disagg.Harness.Reporting;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Reporting;

public sealed class LegacyCsvTests
{
    [Test]
    public void Csv_of_the_fixture_run_matches_golden() =>
        FixturePaths.AssertGolden(LegacyCsv.Render(ReportFixture.Read(), gpuType: null), "golden", "reporting", "perf_script_test_results.csv");

    [Test]
    public void Header_is_the_legacy_column_order()
    {
        var header = LegacyCsv.Render(ReportFixture.Read(), null).Split('\n')[0];

        Assert.That(header, Is.EqualTo("network_name,network_hash,sm_clk,mem_clk,gpu_idx,perf_case_name,test_name,original_test_name,perf_metric,"
            + "total_time__sec,start_timestamp,end_timestamp,state,command,threshold,absolute_threshold,metric_type"));
    }

    [Test]
    public void One_row_per_concurrency_and_metric_with_values_from_results_json()
    {
        var run = ReportFixture.Read();
        var rows = LegacyCsv.Render(run, null).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => r.Split(',')).ToList();
        var col = LegacyCsv.Columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);

        Assert.That(rows, Has.Count.EqualTo(run.Tests.Sum(t => t.Concurrencies.Count * 2)));
        foreach (var t in run.Tests)
        foreach (var c in t.Concurrencies)
        foreach (var (legacy, metric) in LegacyCsv.MetricsFor(t.TestId))
        {
            var name = $"test_benchmark[{t.TestId}]_con:{c.Concurrency}";
            var row = rows.Single(r => r[col["test_name"]] == name && r[col["metric_type"]] == legacy);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(double.Parse(row[col["perf_metric"]], CultureInfo.InvariantCulture), Is.EqualTo(c[metric]));
                Assert.That(row[col["network_name"]], Is.EqualTo(name));
                Assert.That(row[col["state"]], Is.EqualTo("valid"));
                Assert.That(row[col["command"]], Is.EqualTo($"disagg_benchmark --model=sim-tiny --fp16 --concurrency={c.Concurrency}"));
                Assert.That(row[col["total_time__sec"]], Is.EqualTo(t.DurationSeconds!.Value.ToString(CultureInfo.InvariantCulture)));
                Assert.That(row[col["gpu_idx"]] + row[col["threshold"]] + row[col["absolute_threshold"]], Is.Empty);
            }
        }
    }

    [Test]
    public void Gb200_rows_carry_the_locked_clocks()
    {
        var row = LegacyCsv.Render(ReportFixture.Read(), "GB200").Split('\n')[1].Split(',');

        Assert.That((row[2], row[3]), Is.EqualTo(("2062", "3996")));
        Assert.That(LegacyCsv.Clocks("H100"), Is.EqualTo((0, 0)));
    }

    [Test]
    public void Wideep_tests_write_the_twelve_latency_metrics()
    {
        var names = LegacyCsv.MetricsFor("wideep_perf_x").Select(m => m.Legacy).ToList();

        Assert.That(names, Has.Count.EqualTo(12));
        Assert.That(names.Take(3), Is.EqualTo(new[] { "SERVER_MEAN_TTFT", "SERVER_MEDIAN_TTFT", "SERVER_P99_TTFT" }));
        Assert.That(LegacyCsv.MetricsFor("disagg_perf_x").Select(m => m.Legacy), Is.EqualTo(new[] { "SERVER_MEDIAN_TTFT", "SERVER_MEDIAN_E2EL" }));
    }
}
