using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// The hostfile path end to end on the local cluster (4 nodes of 4 fake GPUs, the simulator for TensorRT-LLM): a compact-packed
/// job whose CTX server straddles two nodes, and a DWDP job whose two CTX ranks share a node with the GEN ranks (the simulator's
/// <c>disaggregated_mpi_worker</c>, one process per rank). Each job is short (smoke sizes) and must pass its thresholds; the
/// logs show every rank on the node and GPU its map names.
/// </summary>
[RequiresCluster(Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed class RankFilesOnClusterTests
{
    private const string Thresholds = "thresholds:\n  - \"failed_requests <= 0\"\n  - \"output_token_throughput >= 1 at c=4\"";

    private RunContext _context = null!;

    [OneTimeSetUp]
    public void CreateContext() => _context = TestConfigs.LocalContext();

    [OneTimeTearDown]
    public async Task Cleanup() => await _context.DisposeAsync();

    [Test, CancelAfter(240_000)]
    public async Task Compact_packed_server_straddling_two_nodes_runs_from_its_gpu_map(CancellationToken token)
    {
        // GEN TP=2 on GPUs 0-1 of the first node, CTX TP=3 on GPUs 2-3 of it and GPU 0 of the second: 5 GPUs, 2 nodes.
        var config = TestConfigs.Smoke(Thresholds, text => text
            .Replace("  num_ctx_servers: 1\n", "  num_ctx_servers: 1\n  compact_packing: true\n", StringComparison.Ordinal)
            .Replace("  ctx:\n    tensor_parallel_size: 1\n", "  ctx:\n    tensor_parallel_size: 3\n", StringComparison.Ordinal)
            .Replace("  gen:\n    tensor_parallel_size: 1\n", "  gen:\n    tensor_parallel_size: 2\n", StringComparison.Ordinal));

        var result = await Pipelines.RunAsync(_context, config, "compact_smoke", line => TestContext.Progress.WriteLine("  " + line), token);

        result.Problems.Should().BeEmpty();
        result.Passed.Should().BeTrue(result.Report.Message);
        var map = await File.ReadAllLinesAsync(Path.Combine(result.Workspace, JobFiles.GpuMap("ctx", 0)), token);
        var hosts = await File.ReadAllLinesAsync(Path.Combine(result.Workspace, JobFiles.Hostfile("ctx", 0)), token);
        hosts.Should().HaveCount(3);
        hosts[0].Should().Be(hosts[1]).And.NotBe(hosts[2], "two ranks on the first node, the third on the next");
        map.Should().Equal($"0 {hosts[0]} 2", $"1 {hosts[1]} 3", $"2 {hosts[2]} 0");
        var log = await File.ReadAllTextAsync(Path.Combine(result.Workspace, JobFiles.WorkerLog("ctx", 0)), token);
        foreach (var (rank, gpu) in new[] { (0, 2), (1, 3), (2, 0) })
        {
            log.Should().Contain($"{rank}: CUDA_VISIBLE_DEVICES: {gpu}\n");
            log.Should().Contain($"{rank}: SLURM_PROCID: {rank}, hostname: ").And.Contain($"node: {hosts[rank]},");
        }
    }

    [Test, CancelAfter(240_000)]
    public async Task Dwdp_job_with_ctx_and_gen_ranks_sharing_a_node_runs_on_the_simulator(CancellationToken token)
    {
        // Two TP=1 CTX workers in one DWDP group and a TP=2 GEN server: 4 ranks, 2 CTX GPUs on 4-GPU nodes (the arbitrary path).
        var config = TestConfigs.Smoke(Thresholds, text => text
            .Replace("  num_ctx_servers: 1\n", "  num_ctx_servers: 2\n", StringComparison.Ordinal)
            .Replace("  ctx:\n    tensor_parallel_size: 1\n", "  ctx:\n    dwdp_config:\n      dwdp_size: 2\n    tensor_parallel_size: 1\n",
                StringComparison.Ordinal)
            .Replace("  gen:\n    tensor_parallel_size: 1\n", "  gen:\n    tensor_parallel_size: 2\n", StringComparison.Ordinal));
        DwdpJob.Applies(config).Should().BeTrue();

        var result = await Pipelines.RunAsync(_context, config, "dwdp_smoke", line => TestContext.Progress.WriteLine("  " + line), token);

        result.Problems.Should().BeEmpty();
        result.Passed.Should().BeTrue(result.Report.Message);
        var map = await File.ReadAllLinesAsync(Path.Combine(result.Workspace, JobFiles.MpiWorkerGpuMap), token);
        map.Select(l => l.Split(' ')[2]).Should().Equal(["0", "1", "2", "3"], "CTX ranks on GPUs 0-1, the GEN server on GPUs 2-3 of the same node");
        map.Select(l => l.Split(' ')[1]).Distinct().Should().ContainSingle();
        var log = await File.ReadAllTextAsync(Path.Combine(result.Workspace, JobFiles.DwdpLog), token);
        log.Should().Contain("disaggregated_mpi_worker rank 0: CTX instance 0, local rank 0")
            .And.Contain("disaggregated_mpi_worker rank 1: CTX instance 1, local rank 0")
            .And.Contain("disaggregated_mpi_worker rank 2: GEN instance 0, local rank 0")
            .And.Contain("disaggregated_mpi_worker rank 3: GEN instance 0, local rank 1");
        log.Should().Contain("1: SLURM_PROCID: 1,").And.Contain("role: CTX").And.Contain("3: SLURM_PROCID: 3,").And.Contain("role: GEN");
    }
}
