using Disagg.Harness.Configuration;
using Disagg.Harness.Pipeline;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Pipeline;

/// <summary>A perf-sanity label runs the YAML the way perf-sanity does, so its documents continue that label's history.</summary>
public sealed class PerfCaseLabelModeTests
{
    private static DisaggConfig Fixture() =>
        ConfigLoader.Load(FixturePaths.Fixture("upstream", "gb200-deepseek-r1-fp4_8k1k_ctx1_dep4_gen1_dep8_eplb0_mtp3_ccb-NIXL.yaml"));

    [Test]
    public void A_gen_only_label_measures_one_round_of_the_first_concurrency()
    {
        var config = PerfCase.ForLabelMode(Fixture(), BenchmarkMode.GenOnly);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Fixture().Benchmark.ConcurrencyList, Is.EqualTo(new[] { 64, 128 }));
            Assert.That(Fixture().Benchmark.MultiRound, Is.EqualTo(8));
            Assert.That(config.Benchmark.Mode, Is.EqualTo(BenchmarkMode.GenOnly));
            Assert.That(config.Benchmark.ConcurrencyList, Is.EqualTo(new[] { 64 }));
            Assert.That(config.Benchmark.MultiRound, Is.EqualTo(1));
        }
    }

    [Test]
    public void An_e2e_label_runs_the_listed_concurrencies_and_rounds()
    {
        var config = PerfCase.ForLabelMode(Fixture(), BenchmarkMode.E2E);
        Assert.That((config.Benchmark.Mode, config.Benchmark.MultiRound, config.Benchmark.ConcurrencyList.Count), Is.EqualTo((BenchmarkMode.E2E, 8, 2)));
    }

    [Test]
    public void A_gen_only_label_keeps_a_yaml_that_asks_for_no_context()
    {
        var noContext = Fixture() with { Benchmark = Fixture().Benchmark with { Mode = BenchmarkMode.GenOnlyNoContext } };
        Assert.That(PerfCase.ForLabelMode(noContext, BenchmarkMode.GenOnly).Benchmark.Mode, Is.EqualTo(BenchmarkMode.GenOnlyNoContext));
    }
}
