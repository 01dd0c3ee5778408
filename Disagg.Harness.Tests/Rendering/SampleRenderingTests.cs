using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// The reference's two sample configs (Fixtures/samples, from NVIDIA/TensorRT-LLM) rendered for a real
/// cluster with the trtllm profile: golden files reviewed by eye, plus the flags and command lines an upstream
/// job uses checked explicitly.
/// </summary>
public sealed class SampleRenderingTests
{
    private const string Workspace = "/lustre/results/run1/test";

    public const string PerfSanity = "gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX";
    public const string WideEp = "deepseek-r1-fp4_1k1k_ctx2_gen1_dep16_bs128_eplb288_mtp3_ccb-NIXL";

    private static readonly string[] Files =
        [JobFiles.BatchScript, "start_ctx_server_0.sh", "start_gen_server_0.sh",
            JobFiles.DisaggServerLauncher, JobFiles.BenchmarkScript, JobFiles.CtxConfig, JobFiles.GenConfig];

    /// <summary>The sample with its site placeholders filled in as a user would; the wide-EP sample's concurrency 2150
    /// breaks the batch rule (its own validation error, tested elsewhere), so it runs at the allowed 2048 here.</summary>
    private static JobPlan Render(string stem)
    {
        var text = File.ReadAllText(FixturePaths.Fixture("samples", stem + ".yaml"))
            .Replace("<container_image>", "/images/trtllm-1.2.sqsh", StringComparison.Ordinal)
            .Replace("<container_mount>", "/lustre:/lustre", StringComparison.Ordinal)
            .Replace("<model_path>", "/lustre/models/DeepSeek-R1-FP4", StringComparison.Ordinal)
            .Replace("<dataset_file>", "/lustre/datasets/ds-1k1k.json", StringComparison.Ordinal)
            .Replace("<full_path_to_work_dir>", "/lustre/work", StringComparison.Ordinal)
            .Replace("concurrency_list: '2150'", "concurrency_list: '2048'", StringComparison.Ordinal);
        var config = ConfigLoader.Parse(text, $"samples/{stem}.yaml");
        var profile = ClusterProfileLoader.Load(Path.Combine(FixturePaths.RepoRoot, "clusters", "example-real.yaml"), "/repo");
        return JobRenderer.Render(config, profile, new RenderContext("disagg_perf_" + stem, Workspace, $"configs/disagg/perf/{stem}.yaml", "run1"));
    }

    public static IEnumerable<TestCaseData> Cases() =>
        from stem in new[] { PerfSanity, WideEp } from file in Files select new TestCaseData(stem, file).SetArgDisplayNames(stem[..12], file);

    [TestCaseSource(nameof(Cases))]
    public void Sample_job_matches_golden(string stem, string file) =>
        FixturePaths.AssertGolden(Render(stem)[file].Content, "golden", "samples", stem, file);

    [Test]
    public void Perf_sanity_sample_has_the_reference_node_math_and_flags()
    {
        var plan = Render(PerfSanity);
        var script = plan[JobFiles.BatchScript].Content;
        using (Assert.EnterMultipleScope())
        {
            // ctx1 dep4 + gen1 dep8 on 4-GPU nodes: 1 + 2 = 3 nodes, 12 tasks.
            Assert.That(script, Does.Contain("#SBATCH --nodes=3\n#SBATCH --ntasks=12\n#SBATCH --ntasks-per-node=4\n#SBATCH --segment=3\n"));
            Assert.That(script, Does.Contain("#SBATCH --gres=gpu:4"));
            Assert.That(script, Does.Contain("start_step gen_server_0 gen_server_0.log -l --nodelist=\"$GEN_0_NODES\" -N 2 --ntasks=8 --ntasks-per-node=4 " +
                "--overlap --kill-on-bad-exit=1 --mpi=pmix --container-image=/images/trtllm-1.2.sqsh --container-name=disagg-${SLURM_JOB_ID} " +
                "--container-mounts=/lustre:/lustre,\"$WORKSPACE:$WORKSPACE\" --no-container-mount-home"));
            Assert.That(script, Does.Contain("PORT_BASE=8000").And.Contain("DISAGG_PORT=$((PORT_BASE + 333))"));
            Assert.That(plan["start_ctx_server_0.sh"].Content,
                Does.Contain("exec trtllm-llmapi-launch numactl -m 0,1 trtllm-serve /lustre/models/DeepSeek-R1-FP4 " +
                "--host \"$1\" --port \"$2\" --config /lustre/results/run1/test/ctx_config.yaml"));
            Assert.That(plan["start_ctx_server_0.sh"].Content, Does.Contain("export CUDA_VISIBLE_DEVICES=0,1,2,3"));
            Assert.That(plan[JobFiles.DisaggServerLauncher].Content,
                Does.Contain("exec trtllm-serve disaggregated -c /lustre/results/run1/test/server_config.yaml -t 7200 -r 7200"));
            Assert.That(plan[JobFiles.BenchmarkScript].Content,
                Does.Contain("warming up ucx connections with small requests... 64"), "2 x ctx world 4 x gen world 8");
            Assert.That(plan[JobFiles.BenchmarkScript].Content,
                Does.Contain("--random-input-len 1024 --random-output-len 1024 --random-range-ratio 0.8 --save-result --use-chat-template"));
        }
    }

    [Test]
    public void Wide_ep_sample_runs_gen_only_with_its_environment()
    {
        var plan = Render(WideEp);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan[JobFiles.BatchScript].Content, Does.Contain("#SBATCH --nodes=6"), "ctx 2 x dep4 = 2 nodes, gen 1 x dep16 = 4 nodes");
            Assert.That(plan["start_gen_server_0.sh"].Content,
                Does.Contain("export TRTLLM_DISABLE_KV_CACHE_TRANSFER_OVERLAP=1\nexport TLLM_BENCHMARK_REQ_QUEUES_SIZE=2048"));
            Assert.That(plan[JobFiles.BenchmarkScript].Content, Does.Not.Contain("warming up"), "no UCX warm-up in gen_only");
            Assert.That(plan[JobFiles.BenchmarkScript].Content, Does.Contain("--dataset-name trtllm_custom --dataset-path"));
            Assert.That(plan[JobFiles.GenConfig].Content, Does.Contain("num_nextn_predict_layers: 3"));
        }
    }
}
