using Disagg.Harness.Catalog;
using Disagg.Harness.Configuration;
using Disagg.Harness.TestLists;
using Disagg.Harness.Tests.Configuration;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Catalog;

public sealed class TestSelectionTests
{
    private string _root = "";

    [SetUp]
    public void CreateConfigTree()
    {
        _root = Path.Combine(Path.GetTempPath(), "disagg-catalog-" + Guid.NewGuid().ToString("N"));
        var perf = Directory.CreateDirectory(Path.Combine(_root, "disagg", "perf")).FullName;
        File.Copy(FixturePaths.Fixture("samples", "gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX.yaml"),
            Path.Combine(perf, "gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX.yaml"));
        File.WriteAllText(Path.Combine(perf, "sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX.yaml"), ConfigText.Smoke);
        File.WriteAllText(Path.Combine(perf, "broken.yaml"), ConfigText.SmokeWith("  streaming: true", "  streaming: false"));
        Directory.CreateDirectory(Path.Combine(_root, "disagg", "perf-sanity"));
        File.WriteAllText(Path.Combine(_root, "disagg", "perf-sanity", "x.yaml"), ConfigText.Smoke);
        Directory.CreateDirectory(Path.Combine(_root, "disagg", "nightly"));
        File.WriteAllText(Path.Combine(_root, "disagg", "nightly", "y.yaml"), ConfigText.Smoke);
    }

    [TearDown]
    public void Remove() => Directory.Delete(_root, recursive: true);

    private IReadOnlyList<SelectedCase> Resolve(string list, string? gpu = null) =>
        TestSelection.Resolve(_root, TestListParser.Parse(list, "l.txt"), gpu);

    [Test]
    public void Categories_cover_category_type_model_gpus_isl_osl_mode_and_backend()
    {
        var c = Resolve("perf/test_perf_sanity.py::test_e2e[disagg_upload-gen_only-" +
            "gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX]").Single();
        c.Error.Should().BeNull();
        c.Categories.Should().Equal("perf", "disagg", "deepseek_r1_0528_fp4_v2", "GB200", "GB300", "1k1k", "gen_only", "UCX");
    }

    [Test]
    public void Gpu_filter_skips_with_the_reason_and_unknown_gpu_is_rejected()
    {
        Resolve("disagg_perf_gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX", "H100").Single().SkipReason
            .Should().Be("not supported on H100 (supported: [GB200, GB300])");
        Resolve("disagg_perf_gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX", "GB200_LYRIS").Single().SkipReason.Should().BeNull();
        var e = Assert.Throws<ConfigException>(() => Resolve("disagg_perf_x", "A100"))!;
        e.Errors.Single().ToString()
            .Should().Be("GPU_TYPE: unknown GPU type 'A100'; expected one of GB200, GB200_LYRIS, GB300, H100, B200, B300 (did you mean 'H100'?)");
    }

    [Test]
    public void Unknown_ids_invalid_configs_and_unknown_categories_fail_instead_of_vanishing()
    {
        var cases = Resolve("disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCZ\ndisagg_perf_broken\ndisagg_nightly_y\n");
        cases.Select(c => c.Error!.Split(Environment.NewLine)[0]).Should().Equal(
            $"l.txt:1: 'disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCZ' matches no config under {_root} " +
            "(did you mean 'disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX'?)",
            $"config {Path.Combine(_root, "disagg", "perf", "broken.yaml")} is invalid; nothing will be submitted.",
            $"{Path.Combine(_root, "disagg", "nightly", "y.yaml")}: 'disagg/nightly' is not a known test type/category; " +
            "expected one of disagg/perf, wideep/perf, disagg/stress, disagg/accuracy, wideep/accuracy, disagg/perf-sanity");
        cases[1].Error.Should().Contain("benchmark.streaming: must be true");
    }

    [Test]
    public void Perf_sanity_folder_runs_its_configs_as_perf_tests_and_labels_fall_back_to_disagg_perf()
    {
        var sanity = Resolve("perf/test_perf_sanity.py::test_e2e[disagg_upload-e2e-x]").Single();
        sanity.Error.Should().BeNull();
        sanity.TestId.Should().Be("disagg_perf-sanity_x");
        sanity.Categories.Should().StartWith(["perf", "perf-sanity", "disagg"]);
        var fallback = Resolve("disagg-e2e-gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX").Single();
        fallback.Error.Should().BeNull();
        fallback.TestId.Should().Be("disagg_perf_gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX");
        fallback.Entry.Upload.Should().BeFalse();
    }

    [TestCase(1024, 1024, "1k1k")]
    [TestCase(8192, 1024, "8k1k")]
    [TestCase(131072, 8192, "128k8k")]
    [TestCase(128, 32, "128-32")]
    [TestCase(1024, 100, "1k-100")]
    public void Isl_osl_class(int isl, int osl, string expected) => TestTraits.IslOslClass(isl, osl).Should().Be(expected);
}
