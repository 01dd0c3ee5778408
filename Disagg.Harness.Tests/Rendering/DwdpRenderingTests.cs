using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// A config whose ctx worker has dwdp_config renders as upstream's DWDP job: one MPI step over every CTX rank (first)
/// and GEN rank, each rank choosing its role by rank, over a generated mpi_worker_config.yaml; golden files reviewed.
/// </summary>
public sealed class DwdpRenderingTests
{
    private const string Workspace = "/lustre/results/run1/dwdp";

    private static DisaggConfig Config(Func<string, string>? edit = null)
    {
        var text = File.ReadAllText(FixturePaths.Fixture("configs", "dwdp.yaml"));
        var config = ConfigLoader.Parse(edit is null ? text : edit(text), "configs/disagg/perf/dwdp.yaml");
        return EnvironmentOverrides.Apply(config, UpstreamConfigs.Environment("test_configs")).Config;
    }

    private static JobPlan Render(DisaggConfig config) =>
        JobRenderer.Render(config, UpstreamConfigs.TrtllmProfile(), new RenderContext("disagg_perf_dwdp", Workspace, config.SourceFile, "run1"));

    [TestCase(JobFiles.BatchScript)]
    [TestCase(JobFiles.DwdpLauncher)]
    [TestCase(JobFiles.DisaggServerLauncher)]
    [TestCase(JobFiles.BenchmarkScript)]
    public void Dwdp_job_matches_golden(string file) => FixturePaths.AssertGolden(Render(Config())[file].Content, "golden", "dwdp", file);

    [Test]
    public void Ctx_ranks_come_first_in_one_step_and_each_rank_takes_its_roles_environment()
    {
        var plan = Render(Config());
        plan.Placement.Servers.Select(s => (s.Name, s.FirstNode)).Should().Equal(
            ("ctx_server_0", 0), ("ctx_server_1", 0), ("ctx_server_2", 0), ("ctx_server_3", 0), ("gen_server_0", 1));
        plan.Files.Select(f => f.Name).Should().NotContain(n => n.StartsWith("start_ctx_server", StringComparison.Ordinal));
        plan.ServerLogs.Should().Equal(JobFiles.DwdpLog, JobFiles.DisaggServerLog);
        var script = plan[JobFiles.BatchScript].Content;
        script.Should().Contain("start_step dwdp_workers dwdp_workers.log -l --nodelist=\"$DWDP_NODES\" -N 3 --ntasks=12 --ntasks-per-node=4 ");
        script.Should().Contain("DISAGG_NODE=\"${NODES[1]}\"", "the disagg server and client stay on GEN_0's node");
        var launcher = plan[JobFiles.DwdpLauncher].Content;
        launcher.Should().Contain("if [ \"${SLURM_PROCID:-0}\" -lt 4 ]; then\n  role=CTX\n");
        launcher.Should().Contain("exec numactl -m 0,1 trtllm-serve disaggregated_mpi_worker -c " + Workspace + "/mpi_worker_config.yaml");
        launcher.Should().Contain("else unset UCX_NET_DEVICES; fi", "the DWDP worker clears the interface unless it is pinned");
        launcher.Should().NotContain("CUDA_VISIBLE_DEVICES=", "peer GPUs must stay visible to DWDP ranks");
    }

    [Test]
    public void The_generated_mpi_worker_config_holds_both_roles_with_their_urls()
    {
        var script = Render(Config())[JobFiles.BatchScript].Content;
        var block = script[script.IndexOf("{\ncat <<'DISAGG_DWDP_EOF'", StringComparison.Ordinal)
            ..(script.IndexOf("} > \"$WORKSPACE/mpi_worker_config.yaml\"", StringComparison.Ordinal) + 1)];
        var dir = Directory.CreateTempSubdirectory("disagg-dwdp-").FullName;
        var env = new Dictionary<string, string> { ["DISAGG_HOST"] = "gb-1", ["DISAGG_PORT"] = "8333", ["GEN_0_HOST"] = "gb-1", ["GEN_0_PORT"] = "8004" };
        for (var i = 0; i < 4; i++)
            (env[$"CTX_{i}_HOST"], env[$"CTX_{i}_PORT"]) = ("gb-0", (8000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var run = BashSnippet.Run(block + " > " + Path.Combine(dir, "mpi.yaml"), env);
        run.Code.Should().Be(0, run.Err);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(dir, "mpi.yaml"))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        string Scalar(YamlNode node, params string[] path) =>
            ((YamlScalarNode)path.Aggregate(node, (n, key) => ((YamlMappingNode)n)[key])).Value!;
        Scalar(root, "model").Should().Be("/lustre/models/DeepSeek-R1-0528-FP4-v2");
        (Scalar(root, "hostname"), Scalar(root, "port"), Scalar(root, "max_retries")).Should().Be(("gb-1", "8333", "100"));
        Scalar(root, "context_servers", "num_instances").Should().Be("4");
        Scalar(root, "context_servers", "dwdp_config", "dwdp_size").Should().Be("4");
        ((YamlSequenceNode)((YamlMappingNode)root["context_servers"])["urls"]).Select(n => ((YamlScalarNode)n).Value).Should()
            .Equal("gb-0:8000", "gb-0:8001", "gb-0:8002", "gb-0:8003");
        ((YamlSequenceNode)((YamlMappingNode)root["generation_servers"])["urls"]).Select(n => ((YamlScalarNode)n).Value).Should().Equal("gb-1:8004");
        Scalar(root, "generation_servers", "tensor_parallel_size").Should().Be("8");
    }

    /// <summary>Two TP=1 CTX servers on 4-GPU nodes (upstream: num_ctx_gpus % gpus_per_node != 0): the arbitrary path.</summary>
    private static DisaggConfig Shared() => Config(t => t.Replace("  num_ctx_servers: 4\n", "  num_ctx_servers: 2\n", StringComparison.Ordinal)
        .Replace("      dwdp_size: 4\n", "      dwdp_size: 2\n", StringComparison.Ordinal));

    [TestCase(JobFiles.BatchScript)]
    [TestCase(JobFiles.DwdpLauncher)]
    public void Shared_node_dwdp_job_matches_golden(string file) => FixturePaths.AssertGolden(Render(Shared())[file].Content, "golden", "dwdp-shared", file);

    [Test]
    public void Ctx_gpus_that_do_not_fill_whole_nodes_use_a_hostfile_the_arbitrary_distribution_and_a_gpu_map()
    {
        var plan = Render(Shared());
        DwdpJob.Arbitrary(plan.Placement).Should().BeTrue();
        DwdpJob.Arbitrary(Render(Config()).Placement).Should().BeFalse("four TP=1 CTX GPUs fill the first node: the block path");
        var script = plan[JobFiles.BatchScript].Content;
        script.Should().Contain("rank_files hostfile_mpi_worker.txt gpu_map_mpi_worker.txt 0:0 0:1 1:0 1:1 1:2 1:3 2:0 2:1 2:2 2:3\n",
            "CTX ranks first, then the dep8 GEN server from the next node");
        script.Should().Contain("SLURM_HOSTFILE=\"$WORKSPACE/hostfile_mpi_worker.txt\" start_step dwdp_workers dwdp_workers.log -l --ntasks=10 " +
                                "--distribution=arbitrary --overlap ");
        script.Should().NotContain("DWDP_NODES", "a --nodelist or -N would override the hostfile");
        var launcher = plan[JobFiles.DwdpLauncher].Content;
        launcher.Should().Contain("if [ \"${SLURM_PROCID:-0}\" -lt 2 ]; then\n  role=CTX\n");
        launcher.Should().Contain("gpu_map_file=" + Workspace + "/gpu_map_mpi_worker.txt\n");

        // The rank files the job writes, and the GPU each rank's launcher then takes.
        var call = script.Split('\n').Single(l => l.StartsWith("rank_files ", StringComparison.Ordinal));
        var dir = Directory.CreateTempSubdirectory("disagg-dwdp-ranks-").FullName;
        var run = BashSnippet.Run("NODES=(gb-0 gb-1 gb-2)\n" + RankFiles.Function + call, new Dictionary<string, string> { ["WORKSPACE"] = dir });
        run.Code.Should().Be(0, run.Err);
        File.ReadAllLines(Path.Combine(dir, JobFiles.MpiWorkerHostfile)).Should().Equal(
            "gb-0", "gb-0", "gb-1", "gb-1", "gb-1", "gb-1", "gb-2", "gb-2", "gb-2", "gb-2");
        var lookup = launcher[launcher.IndexOf("gpu_map_file=", StringComparison.Ordinal)..launcher.IndexOf("export CUDA_VISIBLE_DEVICES=$gpu_id\n",
            StringComparison.Ordinal)].Replace(Workspace, dir, StringComparison.Ordinal) + "echo \"$gpu_id\"\n";
        BashSnippet.Run(lookup, new Dictionary<string, string> { ["SLURM_PROCID"] = "1" }).Out.Should().Be("1\n");
        BashSnippet.Run(lookup, new Dictionary<string, string> { ["SLURM_PROCID"] = "7" }).Out.Should().Be("1\n", "GEN rank 5 sits on gb-2's GPU 1");
    }

    [Test]
    public void A_profile_without_the_dwdp_worker_is_an_error()
    {
        var profile = UpstreamConfigs.TrtllmProfile();
        profile = profile with { Commands = profile.Commands with { DwdpWorker = null } };
        var config = Config();
        Assert.Throws<ConfigException>(() => JobRenderer.Render(config, profile, new RenderContext("t", Workspace, "c.yaml")))!
            .Errors.Single().Message.Should().Contain("has no commands.dwdp_worker");
    }
}
