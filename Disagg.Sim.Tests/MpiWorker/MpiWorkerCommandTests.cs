using System.Globalization;
using Disagg.Sim.Common;
using Disagg.Sim.MpiWorker;
using Disagg.Sim.Tests.Support;

namespace Disagg.Sim.Tests.MpiWorker;

/// <summary>
/// <c>disaggregated_mpi_worker</c>: context ranks first, instance by instance (tp × pp × cp ranks each), then generation ranks;
/// an instance's first rank serves its URL, the others hold; a bad layout or rank is a named error.
/// </summary>
[TestFixture]
public sealed class MpiWorkerCommandTests
{
    private static string Config(int ctxPort = 18901, int ctxPort2 = 18902, int genPort = 18903) => $"""
        model: /models/sim-tiny
        backend: pytorch
        max_retries: 100
        context_servers:
          tensor_parallel_size: 1
          max_batch_size: 4
          dwdp_config:
            dwdp_size: 2
          num_instances: 2
          urls:
          - 127.0.0.1:{ctxPort}
          - 127.0.0.1:{ctxPort2}
        generation_servers:
          tensor_parallel_size: 2
          pipeline_parallel_size: 2
          num_instances: 1
          urls:
          - 127.0.0.1:{genPort}
        hostname: 127.0.0.1
        port: 18999
        """;

    [TestCase(0, "ctx", 0, 0, "127.0.0.1:18901")]
    [TestCase(1, "ctx", 1, 0, "127.0.0.1:18902")]
    [TestCase(2, "gen", 0, 0, "127.0.0.1:18903")]
    [TestCase(3, "gen", 0, 1, "127.0.0.1:18903")]
    [TestCase(5, "gen", 0, 3, "127.0.0.1:18903")]
    public void Ranks_map_to_context_instances_first_then_generation(int rank, string role, int instance, int local, string url)
    {
        using var dir = new TempDir();
        var file = YamlFile.Load(dir.Write("mpi.yaml", Config()));
        Assert.That(MpiRankPlan.For(file, rank), Is.EqualTo(new MpiRank(role, instance, local, url)));
        Assert.That(MpiRankPlan.WorkerConfig(file, role).Children.Keys.Select(k => k.ToString()),
            Does.Not.Contain("urls").And.Not.Contain("num_instances").And.Contain("tensor_parallel_size"));
    }

    [Test]
    public void A_rank_beyond_the_layout_or_a_mismatched_section_is_a_named_error()
    {
        using var dir = new TempDir();
        var path = dir.Write("mpi.yaml", Config());
        Assert.That(() => MpiRankPlan.For(YamlFile.Load(path), 6), Throws.InstanceOf<ConfigException>().With.Message
            .EqualTo($"{path}: rank 6 is beyond the 6 rank(s) its context_servers and generation_servers need"));
        var bad = dir.Write("bad.yaml", Config().Replace("  num_instances: 2\n", "  num_instances: 3\n", StringComparison.Ordinal));
        Assert.That(() => MpiRankPlan.For(YamlFile.Load(bad), 0),
            Throws.InstanceOf<ConfigException>().With.Message.Contains("context_servers: num_instances is 3 but 2 url(s) are listed"));
        var huge = dir.Write("huge.yaml", Config().Replace("  pipeline_parallel_size: 2\n", "  pipeline_parallel_size: 4096\n", StringComparison.Ordinal));
        Assert.That(() => MpiRankPlan.For(YamlFile.Load(huge), 2),
            Throws.InstanceOf<ConfigException>().With.Message.Contains("generation_servers: the world size exceeds 4096 ranks"));
    }

    [Test]
    public void The_rank_comes_from_slurm_then_pmix_pmi_or_open_mpi()
    {
        var env = new Dictionary<string, string> { ["PMI_RANK"] = "3", ["OMPI_COMM_WORLD_RANK"] = "9" };
        Assert.That(MpiRankPlan.RankFromEnvironment(env.GetValueOrDefault), Is.EqualTo(3));
        env["SLURM_PROCID"] = "1";
        Assert.That(MpiRankPlan.RankFromEnvironment(env.GetValueOrDefault), Is.EqualTo(1));
        Assert.That(MpiRankPlan.RankFromEnvironment(_ => null), Is.Zero);
        Assert.That(() => MpiRankPlan.RankFromEnvironment(n => n == "SLURM_PROCID" ? "-1" : null),
            Throws.InstanceOf<ConfigException>().With.Message.Contains("SLURM_PROCID=-1 is not a rank"));
    }

    [Test, CancelAfter(60_000)]
    public async Task The_first_rank_of_an_instance_serves_its_url_and_the_others_hold(CancellationToken token)
    {
        using var dir = new TempDir();
        var ports = Net.FreePorts(3);
        var path = dir.Write("mpi.yaml", Config(ports[0], ports[1], ports[2]));
        SimProcess Process(int rank) => SimProcess.Start(["disaggregated_mpi_worker", "-c", path],
            new Dictionary<string, string> { ["SLURM_PROCID"] = rank.ToString(CultureInfo.InvariantCulture), ["SIM_LOAD_MS"] = "100" });
        await using var leader = Process(2);
        await using var holder = Process(3);
        using var http = Net.Client();
        await Net.WaitForHealthyAsync(http, $"http://127.0.0.1:{ports[2]}/health", token);
        await holder.WaitForOutputAsync("disaggregated_mpi_worker rank 3: GEN instance 0, local rank 1", token);
        Assert.That(holder.HasExited, Is.False, "a non-leader rank holds until the step ends");
        holder.SendSigterm();
        Assert.That(await holder.WaitForExitAsync(token), Is.Zero);
        Assert.That(await Net.TryGetAsync(http, $"http://127.0.0.1:{ports[0]}/health", token), Is.Null, "no rank of CTX instance 0 was started");
    }
}
