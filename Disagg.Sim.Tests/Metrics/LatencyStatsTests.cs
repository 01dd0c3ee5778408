using Disagg.Sim.Benchmark.Metrics;

namespace Disagg.Sim.Tests.Metrics;

[TestFixture]
public sealed class LatencyStatsTests
{
    private static readonly double[] Eight = [2, 4, 4, 4, 5, 5, 7, 9];

    // Expected values computed with numpy 1.26: np.percentile(xs, p) (linear), np.median, np.std (ddof=0).
    [TestCase(new double[] { 1, 2, 3, 4 }, 99, 3.97)]
    [TestCase(new double[] { 1, 2, 3, 4 }, 50, 2.5)]
    [TestCase(new double[] { 1, 2, 3, 4 }, 0, 1.0)]
    [TestCase(new double[] { 1, 2, 3, 4 }, 100, 4.0)]
    [TestCase(new double[] { 10, 1, 7 }, 25, 4.0)]
    [TestCase(new double[] { 5 }, 99, 5.0)]
    [TestCase(new double[] { 3, 1, 2, 10, 4 }, 90, 7.6)]
    public void PercentileMatchesNumpyLinearInterpolation(double[] values, double percentile, double expected) =>
        Assert.That(LatencyStats.Percentile(values, percentile), Is.EqualTo(expected).Within(1e-9));

    [Test]
    public void StdIsThePopulationStandardDeviation() =>
        Assert.That(LatencyStats.Std(Eight), Is.EqualTo(2.0).Within(1e-12));

    [Test]
    public void MedianOfEvenCountAveragesTheMiddlePair() =>
        Assert.That(LatencyStats.Median(Eight), Is.EqualTo(4.5));

    [Test]
    public void EmptyListBehavesLikeNumpyOnZero()
    {
        double[] empty = [];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(LatencyStats.Mean(empty), Is.Zero);
            Assert.That(LatencyStats.Median(empty), Is.Zero);
            Assert.That(LatencyStats.Std(empty), Is.Zero);
            Assert.That(LatencyStats.Percentile(empty, 99), Is.Zero);
        }
    }

    [Test]
    public void SummarizeScalesSecondsToMilliseconds()
    {
        var summary = LatencyStats.Summarize([0.001, 0.003], [99]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(summary.Mean, Is.EqualTo(2.0).Within(1e-9));
            Assert.That(summary.Median, Is.EqualTo(2.0).Within(1e-9));
            Assert.That(summary.Std, Is.EqualTo(1.0).Within(1e-9));
            Assert.That(summary.Percentiles[0].Value, Is.EqualTo(2.98).Within(1e-9));
            Assert.That(summary.Percentiles[0].Word, Is.EqualTo("99"));
        }
    }
}
