using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// Every upstream config of Fixtures/upstream renders for a real cluster (the trtllm profile, clusters/example-real.yaml)
/// with the placement, commands and paths upstream's submit.py would give it; four jobs are golden files, reviewed by eye.
/// </summary>
public sealed class UpstreamRenderingTests
{
    private const string Workspace = "/lustre/results/run1/test";

    public static JobPlan Render(string relative) =>
        JobRenderer.Render(UpstreamConfigs.Resolved(relative), UpstreamConfigs.TrtllmProfile(),
            new RenderContext(UpstreamConfigs.TestId(relative), Workspace, relative, "run1"));

    public static IEnumerable<TestCaseData> Configs() => UpstreamConfigs.All().Select(p => new TestCaseData(p).SetArgDisplayNames(p));

    [TestCaseSource(nameof(Configs))]
    public void Renders_with_upstreams_node_math_and_no_placeholder_left(string relative)
    {
        var config = UpstreamConfigs.Resolved(relative);
        var plan = Render(relative);
        var gpn = config.Hardware.GpusPerNode;
        var ctxNodes = (config.Ctx.WorldSize * config.Hardware.NumCtxServers + gpn - 1) / gpn;
        var genNodes = (config.Gen.WorldSize * config.Hardware.NumGenServers + gpn - 1) / gpn;
        var script = plan[JobFiles.BatchScript].Content;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan.Placement.TotalNodes, Is.EqualTo(ctxNodes + genNodes), "submit.py: ctx nodes + gen nodes, each rounded up");
            Assert.That(plan.Placement.Servers[0].Name, Is.EqualTo("gen_server_0"), "GEN servers are allocated first");
            Assert.That(plan.Placement.Servers[0].FirstNode, Is.Zero);
            Assert.That(script, Does.Contain("run_step benchmark benchmark.log -l --nodelist=\"$DISAGG_NODE\""), "the client runs on GEN_0's node");
            Assert.That(script, Does.Contain("DISAGG_NODE=\"${NODES[0]}\""));
            Assert.That(plan["start_gen_server_0.sh"].Content, Does.Contain("trtllm-serve " + config.Environment.ModelPath + " --host"));
            foreach (var file in plan.Files.Where(f => f.Name.EndsWith(".sh", StringComparison.Ordinal) || f.Name == JobFiles.BatchScript))
                Assert.That(file.Content,
                    Does.Not.Match("<(model_path|dataset_file|container_image|container_mount|hf_home_path|full_path_to_work_dir)>"), file.Name);
        }
    }

    public static readonly string[] Golden =
    [
        "test_configs/disagg/perf-sanity/gb200_gpt-oss-120b-fp4_1k1k_con512_ctx1_tp1_gen1_dep2_eplb0_mtp0_ccb-UCX.yaml",
        "test_configs/disagg/perf/deepseek-r1-fp4_128k8k_ctx3_pp4_gen1_dep8_bs16_eplb0_mtp1-Default-python.yaml",
        "test_configs/wideep/accuracy/deepseek-r1-fp4_1k1k_ctx2_gen1_dep16_bs128_eplb288_mtp3_ccb-NIXL.yaml",
        "submit/config.yaml",
    ];

    private static readonly string[] GoldenFiles =
        [JobFiles.BatchScript, "start_ctx_server_0.sh", "start_gen_server_0.sh", JobFiles.DisaggServerLauncher, JobFiles.BenchmarkScript];

    public static IEnumerable<TestCaseData> GoldenCases() =>
        from relative in Golden from file in GoldenFiles
        select new TestCaseData(relative, file).SetArgDisplayNames(Path.GetFileNameWithoutExtension(relative), file);

    [TestCaseSource(nameof(GoldenCases))]
    public void Job_matches_golden(string relative, string file) =>
        FixturePaths.AssertGolden(Render(relative)[file].Content, "golden", "upstream", Path.GetFileNameWithoutExtension(relative), file);
}
