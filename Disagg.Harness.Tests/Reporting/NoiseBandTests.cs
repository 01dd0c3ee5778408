using Disagg.Harness.Reporting;

namespace Disagg.Harness.Tests.Reporting;

public sealed class NoiseBandTests
{
    [TestCase(new[] { 100.0, 102, 98, 101, 99 }, 100.0, 0.014826)]
    [TestCase(new[] { 100.0, 100, 100 }, 100.0, 0.01)] // a flat history gets the 1 % floor
    [TestCase(new[] { 100.0, 110, 90, 500 }, 105.0, 0.1412)] // one outlier barely moves a MAD band
    [TestCase(new[] { 10.0, 20 }, double.NaN, double.NaN)] // fewer than three values: no band
    public void Median_and_relative_sigma(double[] values, double median, double sigma)
    {
        var band = NoiseBand.Of(values);
        if (double.IsNaN(median))
        {
            Assert.That(band, Is.Null);
            return;
        }
        Assert.That(band, Is.Not.Null);
        Assert.That(band!.Median, Is.EqualTo(median).Within(1e-9));
        Assert.That(band.RelativeSigma, Is.EqualTo(sigma).Within(1e-4));
    }

    [Test]
    public void Sigmas_are_signed_distances_in_units_of_the_band()
    {
        var band = new NoiseBand(200, 0.05, 5);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(band.Sigmas(170), Is.EqualTo(-3).Within(1e-9));
            Assert.That(band.Sigmas(220), Is.EqualTo(2).Within(1e-9));
            Assert.That(band.Low(3), Is.EqualTo(170.0).Within(1e-9));
            Assert.That(band.High(3), Is.EqualTo(230.0).Within(1e-9));
        }
    }
}
