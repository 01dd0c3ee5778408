using Disagg.Harness.Catalog;
using Disagg.Harness.Configuration;
using Disagg.Harness.Pipeline;
using Disagg.Harness.Rendering;
using Disagg.Harness.TestLists;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Catalog;

/// <summary>
/// upstream's own test lists (testlist/*.txt of the harness, test-db YAML of perf-sanity) read without errors, and their
/// entries resolve against upstream's test_configs tree (Fixtures/upstream) to runnable, renderable cases.
/// </summary>
public sealed class UpstreamListTests
{
    private static SystemProperties Gb200(int gpus) =>
        SystemProperties.Parse(["gpu=gb200", $"system_gpu_count={gpus}", "stage=post_merge", "backend=pytorch"]);

    [Test]
    public void Every_upstream_config_folder_is_a_known_test_type_and_category()
    {
        var entries = TestCatalog.Discover(UpstreamConfigs.TestConfigs);
        entries.Should().HaveCount(UpstreamConfigs.All().Count(p => p.StartsWith("test_configs/", StringComparison.Ordinal)));
        entries.Select(TestCatalog.CategoryError).Should().AllSatisfy(e => e.Should().BeNull());
        entries.Select(e => e.TestId).Should().Contain("disagg_perf-sanity_gb200-kimi-k2-thinking-fp4_8k1k_ctx1_dep4_gen1_dep32_eplb416_mtp3_ccb-UCX");
    }

    [TestCase("testlist/wideep.txt", 10)]
    [TestCase("testlist/debug.txt", 2)]
    [TestCase("testlist/disagg.txt", 56)]
    public void Harness_test_lists_read_without_errors(string relative, int entries)
    {
        var list = TestListParser.Load(Path.Combine(UpstreamConfigs.Root, relative));
        list.Entries.Should().HaveCount(entries);
        list.Warnings.Should().BeEmpty();
    }

    [Test]
    public void Test_db_entries_resolve_to_the_perf_sanity_folder_keep_their_mode_and_render()
    {
        var list = TestListParser.Load(
            Path.Combine(UpstreamConfigs.Root, "test-db", "l0_gb200_multi_nodes_perf_sanity_ctx1_node1_gpu4_gen1_node8_gpu32.yml"), Gb200(36));
        list.Entries.Should().HaveCount(9);
        list.Entries.Should().OnlyContain(e => e.TestId.StartsWith(TestIdResolver.PerfSanityPrefix, StringComparison.Ordinal)
            && e.Upload == true && e.Mode == BenchmarkMode.GenOnly);
        list.Excluded.Should().HaveCount(11).And.OnlyContain(x => x.Reason == "commented out");

        var cases = TestSelection.Resolve(UpstreamConfigs.TestConfigs, list, "GB200");
        var runnable = cases.Where(c => c.Error is null).ToList();
        runnable.Select(c => c.TestId).Should().Equal("disagg_perf-sanity_gb200_deepseek-v32-fp4_8k1k_con4096_ctx1_dep4_gen1_dep32_eplb256_mtp0_ccb-UCX");
        cases.Where(c => c.Error is not null).Should().OnlyContain(c => c.Error!.Contains("matches no config under", StringComparison.Ordinal),
            "only the configs not copied into the fixtures are missing");

        var perfCase = PerfCase.From(runnable[0]);
        perfCase.Config!.Benchmark.Mode.Should().Be(BenchmarkMode.GenOnly, "the test-db mode token replaces the YAML's e2e");
        var config = EnvironmentOverrides.Apply(perfCase.Config, UpstreamConfigs.Environment("test_configs")).Config;
        PlaceholderCheck.Unresolved(config).Should().BeEmpty();
        var plan = JobRenderer.Render(config, UpstreamConfigs.TrtllmProfile(), new RenderContext(perfCase.TestId, "/lustre/w", config.SourceFile));
        plan["start_gen_server_0.sh"].Content.Should().Contain("export TLLM_BENCHMARK_REQ_QUEUES_SIZE=4096");
        plan.Placement.TotalNodes.Should().Be(9, "1 ctx node + 8 gen nodes, as the list's condition (36 GPUs) says");
    }
}
