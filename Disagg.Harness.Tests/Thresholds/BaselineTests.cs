using Disagg.Harness.Common;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Thresholds;

public sealed class BaselineTests
{
    private static readonly DateTimeOffset Day0 = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static (DateTimeOffset, double) At(int day, double value, int hour = 12) => (Day0.AddDays(day).AddHours(hour), value);

    [Test]
    public void One_day_is_its_own_mean()
    {
        Assert.That(Baseline.Compute([At(0, 100, 1), At(0, 110, 23)], Direction.Maximize), Is.EqualTo(105));
    }

    [Test]
    public void Points_group_by_utc_day_not_local_day()
    {
        var lateUtc = new DateTimeOffset(2025, 6, 1, 23, 30, 0, TimeSpan.FromHours(-5)); // 2025-06-02 04:30 UTC
        Assert.That(Baseline.DailyMeans([(lateUtc, 1), At(1, 3)]).Single(), Is.EqualTo((new DateOnly(2025, 6, 2), 2.0)));
    }

    [Test]
    public void Rolling_mean_is_trailing_window_3_shorter_at_the_start()
    {
        Assert.That(Baseline.RollingMean([3, 6, 9, 12], 3), Is.EqualTo(new[] { 3.0, 4.5, 6.0, 9.0 }));
    }

    [Test]
    public void Gaps_do_not_shrink_the_window_days_are_rows()
    {
        // Days 0, 10, 20: the window at day 20 covers all three rows although 20 calendar days apart.
        var rolled = Baseline.RollingMean(Baseline.DailyMeans([At(0, 3), At(10, 6), At(20, 9)]).Select(d => d.Mean).ToList(), 3);
        Assert.That(rolled[^1], Is.EqualTo(6.0));
    }

    [Test]
    public void Percentiles_interpolate_linearly()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Percentiles.Of([1, 2, 3, 4, 5], 95), Is.EqualTo(4.8).Within(1e-12));
            Assert.That(Percentiles.Of([5, 1, 4, 2, 3], 5), Is.EqualTo(1.2).Within(1e-12));
            Assert.That(Percentiles.Of([7], 5), Is.EqualTo(7));
        }
    }

    [Test]
    public void Maximize_takes_P95_minimize_takes_P5_of_the_rolled_series()
    {
        var points = Enumerable.Range(0, 5).Select(d => At(d, 10 * (d + 1))).ToList(); // daily 10..50 -> rolled 10,15,20,30,40
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Baseline.Compute(points, Direction.Maximize), Is.EqualTo(38).Within(1e-9));
            Assert.That(Baseline.Compute(points, Direction.Minimize), Is.EqualTo(11).Within(1e-9));
        }
    }

    [Test]
    public void No_points_or_only_non_finite_points_give_no_baseline()
    {
        Assert.That(Baseline.Compute([], Direction.Maximize), Is.Null);
        Assert.That(Baseline.Compute([At(0, double.NaN)], Direction.Minimize), Is.Null);
    }
}
