using Disagg.Harness.Catalog;
using Disagg.Harness.Configuration;
using Disagg.Harness.Pipeline;
using Disagg.Harness.TestLists;
using Disagg.Harness.Tests.Configuration;

namespace Disagg.Harness.Tests.Pipeline;

/// <summary>A discovered case carries the config loaded once and honours every list-entry option.</summary>
public sealed class PerfCaseTests
{
    private string _root = "";

    [SetUp]
    public void CreateConfigTree()
    {
        _root = Directory.CreateTempSubdirectory("disagg-case-").FullName;
        var perf = Directory.CreateDirectory(Path.Combine(_root, "disagg", "perf")).FullName;
        File.WriteAllText(Path.Combine(perf, "sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX.yaml"), ConfigText.Smoke);
    }

    [TearDown]
    public void Remove() => Directory.Delete(_root, recursive: true);

    private PerfCase Case(string line) => PerfCase.From(TestSelection.Resolve(_root, TestListParser.Parse(line, "l.txt"), null).Single());

    [Test]
    public void A_perf_sanity_entry_sets_the_mode_and_turns_uploads_off_for_disagg_entries()
    {
        var upload = Case("perf/test_perf_sanity.py::test_e2e[disagg_upload-gen_only-sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX]");
        var noUpload = Case("perf/test_perf_sanity.py::test_e2e[disagg-e2e-sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX]");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(upload.Error, Is.Null);
            Assert.That(upload.Config!.Benchmark.Mode, Is.EqualTo(BenchmarkMode.GenOnly), "the list's mode token replaces benchmark.mode");
            Assert.That(upload.Options.Upload, Is.True);
            Assert.That(noUpload.Config!.Benchmark.Mode, Is.EqualTo(BenchmarkMode.E2E));
            Assert.That(noUpload.Options.Upload, Is.False, "a disagg- entry publishes nothing");
        }
    }

    [Test]
    public void Timeout_and_isolation_markers_reach_the_case()
    {
        var c = Case("disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX TIMEOUT (7) ISOLATION");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.Options.Timeout, Is.EqualTo(TimeSpan.FromMinutes(7)));
            Assert.That(c.Options.Isolation, Is.True);
            Assert.That(c.ToString(), Is.EqualTo("disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX"));
        }
    }

    [Test]
    public void A_case_whose_config_is_missing_carries_the_error_and_no_config()
    {
        var c = Case("disagg_perf_no-such-config");
        Assert.That(c.Config, Is.Null);
        Assert.That(c.Error, Does.Contain("matches no config"));
    }
}
