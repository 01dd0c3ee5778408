using Disagg.Sim.Benchmark.Metrics;
using Disagg.Sim.Benchmark.Output;
using Disagg.Sim.Tests.Support;

namespace Disagg.Sim.Tests.Output;

[TestFixture]
public sealed class ResultBlockFormatterTests
{
    private static readonly string[] AllMetrics = ["ttft", "tpot", "itl", "e2el"];

    private static IEnumerable<TestCaseData> SampleBlocks()
    {
        yield return new TestCaseData("sample-block-warmup.txt", Metrics(
            64, 64, 3.21, 6400, 640, 19.94, 199.38, 2193.15, 4.41,
            ttft: (2268.40, 2301.77, 402.15, 2986.03), tpot: (0, 0, 0, 0), itl: (0, 0, 0, 0), e2el: (2268.40, 2301.77, 402.15, 2986.03)))
            .SetArgDisplayNames("warmup");
        yield return new TestCaseData("sample-block-c16.txt", Metrics(
            128, 128, 104.52, 131072, 131072, 1.22, 1254.04, 2508.08, 79.15,
            ttft: (181.35, 172.08, 38.94, 301.62), tpot: (12.47, 12.44, 0.31, 13.29), itl: (12.45, 12.21, 2.87, 21.96),
            e2el: (12938.16, 12931.70, 318.25, 13674.05)))
            .SetArgDisplayNames("concurrency16");
        yield return new TestCaseData("sample-block-c64.txt", Metrics(
            512, 512, 183.06, 524288, 524288, 2.80, 2864.02, 5728.05, 45.02,
            ttft: (412.77, 389.40, 101.36, 771.58), tpot: (21.83, 21.79, 0.58, 23.31), itl: (21.80, 21.12, 5.74, 41.37),
            e2el: (22744.86, 22730.18, 597.80, 24172.66)))
            .SetArgDisplayNames("concurrency64");
    }

    [TestCaseSource(nameof(SampleBlocks))]
    public void FormatMatchesReferenceSampleByteForByte(string fixture, object metrics)
    {
        var expected = Fixture.ReadWithoutComments(fixture);

        var actual = ResultBlockFormatter.Format((BenchmarkMetrics)metrics, AllMetrics);

        Assert.That(actual, Is.EqualTo(expected), "the result block must match the client's format exactly, trailing spaces included");
    }

    [Test]
    public void FailedRequestsPrintBannersAfterUserThroughput()
    {
        var metrics = Metrics(10, 7, 1.5, 700, 70, 4.67, 46.67, 513.33, 9.5,
            ttft: (1, 1, 0, 1), tpot: (2, 2, 0, 2), itl: (2, 2, 0, 2), e2el: (3, 3, 0, 3));

        var lines = ResultBlockFormatter.Format(metrics, AllMetrics).Split('\n');

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines[3], Is.EqualTo("Failed requests:                         3         "));
            Assert.That(lines[10], Does.StartWith("User throughput (tok/s):"));
            Assert.That(lines[11], Is.EqualTo("=======================!FAILED REQUESTS!======================="));
            Assert.That(lines[12], Is.EqualTo("Total failed requests: 3"));
            Assert.That(lines[13], Is.EqualTo("=====================!CHECK LOG FOR ERRORS!===================="));
            Assert.That(lines[14], Is.EqualTo("---------------Time to First Token----------------"));
        }
    }

    [Test]
    public void OnlySelectedMetricsGetSectionsAndEachPercentileGetsALine()
    {
        var metrics = Metrics(1, 1, 1, 1, 1, 1, 1, 2, 1, ttft: (1, 1, 0, 1), tpot: (1, 1, 0, 1), itl: (1, 1, 0, 1), e2el: (1, 1, 0, 1)) with
        {
            Ttft = new MetricSummary(1, 1, 0, [new PercentileValue(50, 1), new PercentileValue(99.9, 1.5)]),
        };

        var block = ResultBlockFormatter.Format(metrics, ["ttft"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(block, Does.Contain("P50 TTFT (ms):                           1.00      \n"));
            Assert.That(block, Does.Contain("P99.9 TTFT (ms):                         1.50      \n"));
            Assert.That(block, Does.Not.Contain("TPOT"));
            Assert.That(block, Does.Not.Contain("End-to-end Latency"));
            Assert.That(block, Does.EndWith("\n" + new string('=', 50) + "\n"));
        }
    }

    [TestCase(" Serving Benchmark Result ", '=', "============ Serving Benchmark Result ============")]
    [TestCase("Time to First Token", '-', "---------------Time to First Token----------------")]
    [TestCase("Time per Output Token (excl. 1st token)", '-', "-----Time per Output Token (excl. 1st token)------")]
    [TestCase("End-to-end Latency", '-', "----------------End-to-end Latency----------------")]
    public void CenterPutsExtraFillOnTheRight(string title, char fill, string expected) =>
        Assert.That(PyFormat.Center(title, 50, fill), Is.EqualTo(expected));

    [Test]
    public void ValuesWiderThanTheColumnAreNotPadded() =>
        Assert.That(PyFormat.FloatLine("Mean E2EL (ms):", 123456789.125), Is.EqualTo("Mean E2EL (ms):                          123456789.12"));

    private static BenchmarkMetrics Metrics(
        int total, int completed, double duration, int input, int output,
        double requestThroughput, double outputThroughput, double totalThroughput, double user,
        (double Mean, double Median, double Std, double P99) ttft, (double, double, double, double) tpot,
        (double, double, double, double) itl, (double, double, double, double) e2el) => new()
        {
            TotalRequests = total,
            Completed = completed,
            DurationSeconds = duration,
            TotalInput = input,
            TotalOutput = output,
            RequestThroughput = requestThroughput,
            OutputThroughput = outputThroughput,
            TotalTokenThroughput = totalThroughput,
            UserThroughput = user,
            Ttft = Summary(ttft),
            Tpot = Summary(tpot),
            Itl = Summary(itl),
            E2el = Summary(e2el),
        };

    private static MetricSummary Summary((double Mean, double Median, double Std, double P99) v) =>
        new(v.Mean, v.Median, v.Std, [new PercentileValue(99, v.P99)]);
}
