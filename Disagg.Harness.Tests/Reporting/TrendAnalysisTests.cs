using Disagg.Harness.Configuration;
using Disagg.Harness.Publishing;
using Disagg.Harness.Reporting;
using static Disagg.Harness.Tests.Reporting.HistorySamples;

namespace Disagg.Harness.Tests.Reporting;

public sealed class TrendAnalysisTests
{
    [Test]
    public void A_throughput_step_down_is_marked_a_regression_and_a_latency_step_down_an_improvement()
    {
        double[] tps = [100, 101, 99, 100.5, 80];
        double[] ttft = [50, 51, 49, 50, 40];
        var runs = tps.Select((_, i) => Run($"r{i}", i)).ToList();
        var values = runs.SelectMany((r, i) => new[] { Value(r.RunId, "output_token_throughput", tps[i]), Value(r.RunId, "median_ttft_ms", ttft[i]) })
            .ToList();
        var series = TrendAnalysis.Build(runs, values, ["output_token_throughput", "median_ttft_ms"]);

        Assert.That(series.Select(s => s.Metric), Is.EqualTo(new[] { "output_token_throughput", "median_ttft_ms" }));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(series[0].Points.Select(p => p.Mark), Is.EqualTo(new[]
                { TrendMark.Normal, TrendMark.Normal, TrendMark.Normal, TrendMark.Normal, TrendMark.Regression }));
            Assert.That(series[1].Points[^1].Mark, Is.EqualTo(TrendMark.Improvement));
            Assert.That(series[0].Points[2].Band, Is.Null, "two earlier values make no band");
            Assert.That(series[0].Points[^1].Band!.Median, Is.EqualTo(100.25));
        }
    }

    [Test]
    public void Failed_runs_are_marked_and_stay_out_of_the_baseline()
    {
        var runs = new List<HistoryTest>
        {
            Run("r0", 0), Run("r1", 1), Run("r2", 2),
            Run("r3", 3, passed: false, problems: ["output_token_throughput 10 < 90 at c=4"]),
            Run("r4", 4, passed: false, problems: ["job ended NODE_FAIL on node3"], jobState: "NODE_FAIL"),
            Run("r5", 5),
        };
        double?[] tps = [100, 100, 100, 10, null, 100];
        var values = runs.Select((r, i) => tps[i] is { } v ? Value(r.RunId, "output_token_throughput", v) : null).OfType<HistoryValue>().ToList();
        var points = TrendAnalysis.Build(runs, values, ["output_token_throughput"]).Single().Points;

        Assert.That(points.Select(p => p.Mark), Is.EqualTo(new[]
            { TrendMark.Normal, TrendMark.Normal, TrendMark.Normal, TrendMark.Failed, TrendMark.InfraFailure, TrendMark.Normal }));
        Assert.That(points[^1].Band!.Median, Is.EqualTo(100), "the failed run's 10 is not in the baseline");
    }

    [Test]
    public void The_stored_failure_class_decides_over_the_guess_from_problems()
    {
        var runs = new List<HistoryTest>
        {
            Run("r0", 0), Run("r1", 1),
            // Problems that read like a metric miss, but the classifier found an NCCL timeout on a node.
            Run("r2", 2, passed: false, problems: ["median_tpot_ms 90 > 50 at c=4"]) with { FailureClass = "infrastructure" },
            // Problems that read like the node's fault, but the run classed them as the product's (the server crashed).
            Run("r3", 3, passed: false, problems: ["ctx server on node2 exited"], jobState: "FAILED") with { FailureClass = "product" },
        };
        var values = runs.Select(r => Value(r.RunId, "output_token_throughput", 100)).ToList();
        var points = TrendAnalysis.Build(runs, values, ["output_token_throughput"]).Single().Points;

        Assert.That(points.Select(p => p.Mark), Is.EqualTo(new[] { TrendMark.Normal, TrendMark.Normal, TrendMark.InfraFailure, TrendMark.Failed }));
    }

    [TestCase(Direction.Maximize, -3.0, TrendMark.Regression)]
    [TestCase(Direction.Maximize, -2.9, TrendMark.Normal)]
    [TestCase(Direction.Maximize, 3.5, TrendMark.Improvement)]
    [TestCase(Direction.Minimize, 3.0, TrendMark.Regression)]
    [TestCase(Direction.Minimize, -4.0, TrendMark.Improvement)]
    [TestCase(Direction.None, -9.0, TrendMark.Normal)]
    public void Judge_by_direction_and_sigmas(Direction direction, double sigmas, TrendMark expected) =>
        Assert.That(TrendAnalysis.Judge(direction, sigmas, 3), Is.EqualTo(expected));

    [Test]
    public void The_chart_rings_the_regression_and_labels_every_point_with_run_commit_and_image()
    {
        double[] tps = [100, 101, 99, 100.5, 80];
        var runs = tps.Select((_, i) => Run($"run-{i}", i, image: "nvcr.io/trtllm:1." + i)).ToList();
        var series = TrendAnalysis.Build(runs, [.. runs.Select((r, i) => Value(r.RunId, "output_token_throughput", tps[i]))], ["output_token_throughput"]);
        var svg = TrendChart.Render("output_token_throughput", series);
        var xml = System.Xml.Linq.XElement.Parse(svg);

        Assert.That(xml.Descendants().Count(e => (string?)e.Attribute("class") == "point regression"), Is.EqualTo(1));
        Assert.That(xml.Descendants().Count(e => (string?)e.Attribute("class") == "band"), Is.EqualTo(1));
        foreach (var r in runs)
            Assert.That(svg, Does.Contain($"run {r.RunId} · commit {r.Commit} · image {r.Image}"));
    }
}
