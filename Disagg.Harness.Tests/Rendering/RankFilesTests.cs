using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// hardware.compact_packing as upstream's submit.py + start_worker.sh do it: servers packed GPU by GPU, the node count every GPU
/// rounded up once, and a server that starts mid-node and spans nodes started with a hostfile, <c>--distribution=arbitrary</c> and
/// a per-rank <c>gpu_map_&lt;ROLE&gt;_&lt;id&gt;.txt</c> its launcher reads by SLURM_PROCID. The rendered lines run in bash.
/// </summary>
public sealed class RankFilesTests
{
    private const string Workspace = "/lustre/results/run1/compact";

    /// <summary>One TP=2 GEN server and three TP=3 CTX servers on 4-GPU nodes: 11 GPUs, 3 nodes packed (4 without packing).</summary>
    internal static DisaggConfig Compact(bool packed = true) => TestConfigs.Smoke("thresholds:\n  - \"failed_requests <= 0\"", text => text
        .Replace("  num_ctx_servers: 1\n", "  num_ctx_servers: 3\n" + (packed ? "  compact_packing: true\n" : ""), StringComparison.Ordinal)
        .Replace("  ctx:\n    tensor_parallel_size: 1\n", "  ctx:\n    tensor_parallel_size: 3\n", StringComparison.Ordinal)
        .Replace("  gen:\n    tensor_parallel_size: 1\n", "  gen:\n    tensor_parallel_size: 2\n", StringComparison.Ordinal));

    private static ClusterProfile Local() => ClusterProfileLoader.Load(Path.Combine(FixturePaths.RepoRoot, "clusters", "local.yaml"), "/repo");

    private static JobPlan Render(DisaggConfig config) =>
        JobRenderer.Render(config, Local(), new RenderContext("disagg_perf_compact", Workspace, "compact.yaml"));

    [TestCase(JobFiles.BatchScript)]
    [TestCase("start_ctx_server_0.sh")]
    [TestCase("start_ctx_server_1.sh")]
    public void Compact_job_matches_golden(string file)
    {
        var content = Render(Compact())[file].Content.Replace(Compact().SourceFile, "compact.yaml", StringComparison.Ordinal);
        FixturePaths.AssertGolden(content, "golden", "compact", file);
    }

    [Test]
    public void Compact_packing_packs_gpu_by_gpu_and_maps_the_server_that_straddles_nodes()
    {
        var plan = Render(Compact());
        plan.Placement.TotalNodes.Should().Be(3, "ceil(11 / 4), as upstream's compact branch");
        plan.Placement.Servers.Select(s => (s.Name, s.FirstNode, s.NodeCount, s.Mapped, string.Join(',', s.RankGpus))).Should().Equal(
            ("gen_server_0", 0, 1, false, "0,1"), ("ctx_server_0", 0, 2, true, "2,3,4"), ("ctx_server_1", 1, 1, false, "5,6,7"),
            ("ctx_server_2", 2, 1, false, "8,9,10"));
        var script = plan[JobFiles.BatchScript].Content;
        script.Should().Contain("#SBATCH --nodes=3\n");
        script.Should().Contain("rank_files hostfile_CTX_0.txt gpu_map_CTX_0.txt 0:2 0:3 1:0\n");
        script.Should().Contain("SLURM_HOSTFILE=\"$WORKSPACE/hostfile_CTX_0.txt\" start_step ctx_server_0 ctx_server_0.log -l --ntasks=3 " +
                                "--distribution=arbitrary --overlap ");
        script.Should().Contain("start_step ctx_server_1 ctx_server_1.log -l --nodelist=\"$CTX_1_NODES\" -N 1 --ntasks=3 --ntasks-per-node=3 ");
        plan["start_ctx_server_0.sh"].Content.Should().Contain("gpu_map_file=" + Workspace + "/gpu_map_CTX_0.txt\n")
            .And.NotContain("export CUDA_VISIBLE_DEVICES=2");
        plan["start_ctx_server_1.sh"].Content.Should().Contain("export CUDA_VISIBLE_DEVICES=1,2,3\n").And.NotContain("gpu_map");

        var unpacked = Placement.Compute(4, 3, 3, 1, 2);
        unpacked.TotalNodes.Should().Be(4, "without packing each role rounds up and no server straddles");
        unpacked.Servers.Should().OnlyContain(s => !s.Mapped && s.NodeCount == 1);
        Assert.Throws<ConfigException>(() => Compact(packed: false))!.Errors.Single().Message.Should()
            .EndWith("would straddle nodes; set hardware.compact_packing: true to pack servers GPU by GPU");
    }

    [Test]
    public void The_job_writes_the_hostfile_and_map_and_each_rank_finds_its_gpu()
    {
        var plan = Render(Compact());
        var script = plan[JobFiles.BatchScript].Content;
        var call = script.Split('\n').Single(l => l.StartsWith("rank_files hostfile_CTX_0", StringComparison.Ordinal));
        var dir = Directory.CreateTempSubdirectory("disagg-rank-files-").FullName;
        var run = BashSnippet.Run("NODES=(gb-0 gb-1 gb-2)\n" + RankFiles.Function + call, new Dictionary<string, string> { ["WORKSPACE"] = dir });
        run.Code.Should().Be(0, run.Err);
        File.ReadAllText(Path.Combine(dir, "hostfile_CTX_0.txt")).Should().Be("gb-0\ngb-0\ngb-1\n");
        File.ReadAllText(Path.Combine(dir, "gpu_map_CTX_0.txt")).Should().Be("0 gb-0 2\n1 gb-0 3\n2 gb-1 0\n");

        var launcher = plan["start_ctx_server_0.sh"].Content;
        var lookup = launcher[launcher.IndexOf("gpu_map_file=", StringComparison.Ordinal)..launcher.IndexOf("export CUDA_VISIBLE_DEVICES=$gpu_id\n",
            StringComparison.Ordinal)].Replace(Workspace, dir, StringComparison.Ordinal) + "echo \"$gpu_id\"\n";
        foreach (var (rank, gpu) in new[] { ("0", "2"), ("1", "3"), ("2", "0") })
            BashSnippet.Run(lookup, new Dictionary<string, string> { ["SLURM_PROCID"] = rank }).Out.Should().Be(gpu + "\n");
        var missing = BashSnippet.Run(lookup, new Dictionary<string, string> { ["SLURM_PROCID"] = "3" });
        missing.Code.Should().Be(1);
        missing.Err.Should().Contain("ERROR: no GPU mapping for SLURM_PROCID=3 in " + Path.Combine(dir, "gpu_map_CTX_0.txt"));
    }

    [Test]
    public void Compact_packing_must_be_a_boolean()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            TestConfigs.SmokeText().Replace("  num_ctx_servers: 1\n", "  num_ctx_servers: 1\n  compact_packing: sometimes\n", StringComparison.Ordinal),
            "compact.yaml"))!;
        ex.Errors.Should().Contain(e => e.KeyPath.Contains("compact_packing", StringComparison.Ordinal) && e.Line > 0);
    }

    /// <summary>Every layout within the loader's bounds: each rank on its own GPU inside the allocation, whichever packing.</summary>
    [Test]
    public void Every_rank_gets_its_own_gpu_inside_the_allocation([Values(false, true)] bool compact, [Values(false, true)] bool ctxFirst)
    {
        var random = new Random(14);
        for (var i = 0; i < 400; i++)
        {
            var gpn = random.Next(1, 9);
            var (ctx, ctxWorld, gen, genWorld) = (random.Next(0, 5), random.Next(1, 13), random.Next(1, 5), random.Next(1, 13));
            var p = Placement.Compute(gpn, ctx, ctxWorld, gen, genWorld, ctxFirst, compact);
            var gpus = p.Servers.SelectMany(s => s.RankGpus).ToList();
            gpus.Should().OnlyHaveUniqueItems();
            gpus.Should().OnlyContain(g => g >= 0 && g < p.TotalNodes * gpn, $"gpn={gpn} ctx={ctx}x{ctxWorld} gen={gen}x{genWorld}");
            p.Servers.Should().OnlyContain(s => s.FirstNode + s.NodeCount <= p.TotalNodes);
            if (compact) p.TotalNodes.Should().Be((ctx * ctxWorld + gen * genWorld + gpn - 1) / gpn);
            p.Servers.Where(s => !s.Mapped).Should().OnlyContain(s => s.RankGpus[0] % gpn == 0 || s.NodeCount == 1, "block distribution places them");
        }
        var largest = Placement.Compute(1, InputLimits.MaxServersPerRole, InputLimits.MaxWorldSize, InputLimits.MaxServersPerRole, InputLimits.MaxWorldSize,
            ctxFirst, compact);
        largest.TotalNodes.Should().Be(2 * InputLimits.MaxServersPerRole * InputLimits.MaxWorldSize, "the loader's bounds never overflow");
    }
}
