using Disagg.Sim.Common;
using Disagg.Sim.Worker;

namespace Disagg.Sim.Tests.Worker;

[TestFixture]
public sealed class NoiseModelTests
{
    private static NoiseModel Model(int seed, double jitter = 0, double block = 0, double drift = 0, double slowdown = 1, int? fromC = null,
        (int, double)? hiccup = null) => new(seed, jitter, block, drift, 1, slowdown, fromC, null, hiccup);

    private static double[] Factors(NoiseModel model, params (int C, string Block)[] iterations) =>
        [.. iterations.Select(i => model.Factor(i.C, i.Block, 0))];

    [Test]
    public void The_same_seed_gives_the_same_factors_and_another_seed_other_ones()
    {
        (int, string)[] run = [(4, "a"), (4, "a"), (8, "b"), (8, "b"), (4, "c")];
        var first = Factors(Model(7, jitter: 0.02, block: 0.05, drift: 0.03), run);
        var again = Factors(Model(7, jitter: 0.02, block: 0.05, drift: 0.03), run);
        var other = Factors(Model(8, jitter: 0.02, block: 0.05, drift: 0.03), run);
        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void Block_noise_is_one_draw_per_block_named_by_first_seen_order()
    {
        var model = Model(3, block: 0.05);
        var f = Factors(model, (4, "x"), (4, "x"), (4, "y"));
        Assert.That(f[1], Is.EqualTo(f[0]), "one block, one factor");
        Assert.That(f[2], Is.Not.EqualTo(f[0]), "a repeat of the same concurrency is a new block");
        // Block ids are random per client run; the factors depend only on the order.
        Assert.That(Factors(Model(3, block: 0.05), (4, "p"), (4, "q")), Is.EqualTo(new[] { f[0], f[2] }));
    }

    [Test]
    public void The_true_slowdown_applies_from_its_concurrency_on()
    {
        var f = Factors(Model(1, slowdown: 1.10, fromC: 8), (4, "a"), (8, "b"), (16, "c"));
        Assert.That(f, Is.EqualTo(new[] { 1.0, 1.10, 1.10 }).Within(1e-12));
    }

    [Test]
    public void The_slowdown_after_a_time_waits_for_the_uptime()
    {
        var model = new NoiseModel(0, 0, 0, 0, 1, 1.5, null, 30, null);
        Assert.That(model.Factor(4, "a", 29.9), Is.EqualTo(1.0));
        Assert.That(model.Factor(4, "a", 30), Is.EqualTo(1.5));
    }

    [Test]
    public void A_hiccup_slows_only_the_first_block_of_its_concurrency()
    {
        var f = Factors(Model(1, hiccup: (4, 1.3)), (1, "a"), (4, "b"), (4, "b"), (4, "c"));
        Assert.That(f, Is.EqualTo(new[] { 1.0, 1.3, 1.3, 1.0 }).Within(1e-12));
    }

    [Test]
    public void Jitter_has_mean_one_and_the_requested_spread()
    {
        var model = Model(11, jitter: 0.05);
        var draws = Enumerable.Range(0, 20000).Select(_ => model.Factor(4, "a", 0)).ToArray();
        var mean = draws.Average();
        var sd = Math.Sqrt(draws.Select(d => (d - mean) * (d - mean)).Average());
        Assert.That(mean, Is.EqualTo(1.0).Within(0.003));
        Assert.That(sd, Is.EqualTo(0.05).Within(0.005));
    }

    [Test]
    public void Node_slowdown_matches_the_node_and_rejects_bad_pairs()
    {
        Assert.That(NoiseModel.NodeSlowdown("node1=1.0, node2=1.25", "node2"), Is.EqualTo(1.25));
        Assert.That(NoiseModel.NodeSlowdown("node1=1.2", "node3"), Is.EqualTo(1.0));
        var e = Assert.Throws<ConfigException>(() => NoiseModel.NodeSlowdown("node2:1.2", "node2"));
        Assert.That(e!.Message, Does.Contain("SIM_NODE_SLOWDOWN"));
        Assert.Throws<ConfigException>(() => NoiseModel.ParseHiccup("x:1.2"));
        Assert.That(NoiseModel.ParseHiccup("64:1.3"), Is.EqualTo((64, 1.3)));
    }
}
