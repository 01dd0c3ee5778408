using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Rendering;

public sealed class JobRendererTests
{
    private const string Workspace = "/results/run/disagg_perf_smoke";

    private static ClusterProfile LocalProfile() =>
        ClusterProfileLoader.Load(Path.Combine(FixturePaths.RepoRoot, "clusters", "local.yaml"), "/repo");

    private static ClusterProfile RealProfile() =>
        ClusterProfileLoader.Load(Path.Combine(FixturePaths.RepoRoot, "clusters", "example-real.yaml"), "/repo");

    private static DisaggConfig Smoke() =>
        ConfigLoader.Load(FixturePaths.Fixture("configs", "smoke.yaml")) with { SourceFile = "configs/disagg/perf/smoke.yaml" };

    [TestCase(JobFiles.BatchScript)]
    [TestCase(JobFiles.BenchmarkScript)]
    [TestCase("start_ctx_server_0.sh")]
    [TestCase("start_gen_server_0.sh")]
    [TestCase(JobFiles.DisaggServerLauncher)]
    [TestCase(JobFiles.CtxConfig)]
    [TestCase(JobFiles.GenConfig)]
    public void Local_smoke_job_matches_golden(string file)
    {
        var plan = JobRenderer.Render(Smoke(), LocalProfile(), new RenderContext("disagg_perf_smoke", Workspace, "configs/disagg/perf/smoke.yaml"));
        FixturePaths.AssertGolden(plan[file].Content, "golden", "local-smoke", file);
    }

    [Test]
    public void Rendering_is_deterministic()
    {
        var context = new RenderContext("t", Workspace, "c.yaml");
        var first = JobRenderer.Render(Smoke(), LocalProfile(), context);
        var second = JobRenderer.Render(Smoke(), LocalProfile(), context);
        Assert.That(second.Files.Select(f => f.Content), Is.EqualTo(first.Files.Select(f => f.Content)));
    }

    [Test]
    public void Real_profile_uses_fixed_ports_and_trtllm_commands()
    {
        var plan = JobRenderer.Render(Smoke(), RealProfile(), new RenderContext("t", Workspace, "c.yaml"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan[JobFiles.BatchScript].Content, Does.Contain("PORT_BASE=8000"));
            Assert.That(plan[JobFiles.BatchScript].Content, Does.Contain("--mpi=pmix"));
            Assert.That(plan[JobFiles.BatchScript].Content, Does.Contain("#SBATCH --partition=batch"));
            Assert.That(plan["start_ctx_server_0.sh"].Content,
                Does.Contain("exec trtllm-llmapi-launch trtllm-serve sim-tiny --host \"$1\" --port \"$2\" --config " + Workspace + "/ctx_config.yaml"));
            Assert.That(plan[JobFiles.BenchmarkScript].Content, Does.Contain("CLIENT=(python -m tensorrt_llm.serve.scripts.benchmark_serving)"));
        }
    }

    [Test]
    public void Worker_config_passes_unknown_keys_through_verbatim()
    {
        var plan = JobRenderer.Render(Smoke(), LocalProfile(), new RenderContext("t", Workspace, "c.yaml"));
        Assert.That(plan[JobFiles.GenConfig].Content, Does.Contain("cuda_graph_config:\n  enable_padding: true\n  max_batch_size: 16\n"));
    }
}
