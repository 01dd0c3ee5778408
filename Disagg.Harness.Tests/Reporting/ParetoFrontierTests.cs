using Disagg.Harness.Reporting;

namespace Disagg.Harness.Tests.Reporting;

public sealed class ParetoFrontierTests
{
    private static ParetoPoint P(double x, double y, int c = 1, string group = "a") => new(group, "r", "t", c, x, y);

    [Test]
    public void The_frontier_keeps_only_points_no_other_point_beats_on_both_axes()
    {
        var points = new[] { P(10, 100, 16), P(20, 90, 8), P(15, 80, 12), P(30, 50, 4), P(30, 40, 4), P(5, 60, 32), P(40, 20, 1) };
        var frontier = ParetoFrontier.Of(points);
        Assert.That(frontier.Select(p => (p.UserTps, p.PerGpuTps)),
            Is.EqualTo(new[] { (10.0, 100.0), (20.0, 90.0), (30.0, 50.0), (40.0, 20.0) }));
    }

    [TestCase(10, 100)]
    [TestCase(15, 95)]
    [TestCase(25, 70)]
    [TestCase(40, 20)]
    [TestCase(9.99, double.NaN)]
    [TestCase(41, double.NaN)]
    public void Interpolation_is_linear_between_neighbours_and_undefined_outside(double x, double expected)
    {
        var frontier = ParetoFrontier.Of([P(10, 100), P(20, 90), P(30, 50), P(40, 20)]);
        var y = ParetoFrontier.At(frontier, x);
        if (double.IsNaN(expected)) Assert.That(y, Is.Null);
        else Assert.That(y, Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void Two_frontiers_are_compared_at_every_frontier_x_of_their_overlap()
    {
        var a = ParetoFrontier.Of([P(10, 100), P(30, 60)]);
        var b = ParetoFrontier.Of([P(20, 100, group: "b"), P(40, 50, group: "b")]);
        var rows = FrontierComparison.Compare(a, b);
        Assert.That(rows.Select(r => (r.UserTps, r.A, r.B)), Is.EqualTo(new[] { (20.0, 80.0, 100.0), (30.0, 60.0, 75.0) }));
        Assert.That(rows.Select(r => Math.Round(r.DeltaPct, 2)), Is.EqualTo(new[] { 25.0, 25.0 }));
    }

    [Test]
    public void Frontiers_that_do_not_overlap_give_no_rows() =>
        Assert.That(FrontierComparison.Compare(ParetoFrontier.Of([P(1, 10), P(2, 5)]), ParetoFrontier.Of([P(3, 10), P(4, 5)])), Is.Empty);
}
