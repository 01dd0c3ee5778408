using Disagg.Sim.Common;
using Disagg.Sim.DisaggServer;
using Disagg.Sim.Tests.Support;
using Disagg.Sim.Worker;

namespace Disagg.Sim.Tests.Config;

[TestFixture]
public sealed class ConfigLoaderTests
{
    [Test]
    public void WorkerConfigReadsKnownKeysAndIgnoresTheRest()
    {
        using var dir = new TempDir();
        var path = dir.Write("gen.yaml", """
            tensor_parallel_size: 8
            moe_expert_parallel_size: 8
            enable_attention_dp: true
            max_batch_size: 768
            max_num_tokens: 768
            max_seq_len: 2068
            cuda_graph_config:
              enable_padding: true
              max_batch_size: 768
            print_iter_log: true
            kv_cache_config:
              dtype: fp8
            cache_transceiver_config:
              max_tokens_in_buffer: 16384
              backend: UCX
            stream_interval: 100
            """);

        var config = WorkerConfigLoader.Load(path);

        Assert.That(config, Is.EqualTo(new WorkerConfig
        {
            TensorParallelSize = 8, EnableAttentionDp = true, MaxBatchSize = 768, MaxNumTokens = 768, MaxSeqLen = 2068,
            PrintIterLog = true, CacheTransceiverBackend = "UCX", StreamInterval = 100,
        }));
    }

    [Test]
    public void MalformedYamlNamesFileAndLine()
    {
        using var dir = new TempDir();
        var path = dir.Write("ctx.yaml", "max_batch_size: 16\nmax_num_tokens: 8192\n  bad: [indent\n");

        var ex = Assert.Throws<ConfigException>(() => WorkerConfigLoader.Load(path));

        Assert.That(ex!.Message, Does.StartWith($"{path}:3: malformed YAML"));
    }

    [Test]
    public void WrongTypeNamesFileLineAndKey()
    {
        using var dir = new TempDir();
        var path = dir.Write("ctx.yaml", "max_batch_size: 16\nmax_seq_len: lots\n");

        Assert.That(() => WorkerConfigLoader.Load(path),
            Throws.TypeOf<ConfigException>().With.Message.EqualTo($"{path}:2: max_seq_len must be an integer, got 'lots'"));
    }

    [Test]
    public void MissingFileIsAClearError() =>
        Assert.That(() => WorkerConfigLoader.Load("/nonexistent/ctx.yaml"),
            Throws.TypeOf<ConfigException>().With.Message.EqualTo("/nonexistent/ctx.yaml: file not found"));

    [Test]
    public void DisaggConfigReadsTheSortedKeyLayout()
    {
        using var dir = new TempDir();
        var path = dir.Write("server_config.yaml", """
            backend: pytorch
            context_servers:
              num_instances: 2
              urls:
              - node1:8000
              - node1:8001
            generation_servers:
              num_instances: 1
              router:
                type: load_balancing
              urls:
              - node2:8002
            hostname: node2
            port: 8333
            """);

        var config = DisaggServerConfigLoader.Load(path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(config.Hostname, Is.EqualTo("node2"));
            Assert.That(config.Port, Is.EqualTo(8333));
            Assert.That(config.Context.Urls, Is.EqualTo(new[] { new WorkerEndpoint("node1", 8000), new WorkerEndpoint("node1", 8001) }));
            Assert.That(config.Context.Router, Is.EqualTo("round_robin"));
            Assert.That(config.Generation.Router, Is.EqualTo("load_balancing"));
        }
    }

    [Test]
    public void UrlCountMismatchRaisesTrtllmsValueError()
    {
        using var dir = new TempDir();
        var path = dir.Write("server_config.yaml", "context_servers:\n  num_instances: 2\n  urls:\n  - a:1\ngeneration_servers:\n  urls:\n  - b:2\n");

        var ex = Assert.Throws<PythonError>(() => DisaggServerConfigLoader.Load(path));

        Assert.That(ex!.FinalLine, Is.EqualTo("ValueError: Number of hostnames (1) should be equal to the number of instances (2)"));
    }

    [TestCase("crash_after_requests:3,slow_start_ms:200")]
    [TestCase(" fail_requests:0.5 , hang_on_start ")]
    [TestCase("stall_before_load@node2")]
    public void FaultPlanParsesCombinations(string spec) =>
        Assert.That(() => FaultPlan.Parse(spec), Throws.Nothing);

    [Test]
    public void UnknownFaultSuggestsTheNearestName() =>
        Assert.That(() => FaultPlan.Parse("oom_on_strat"),
            Throws.TypeOf<Disagg.Sim.Cli.UsageException>().With.Message.EqualTo("unknown SIM_FAULT fault 'oom_on_strat' (did you mean 'oom_on_start'?)"));

    [TestCase(1.0, 10, 10)]
    [TestCase(0.25, 8, 2)]
    [TestCase(0.5, 9, 4)]
    [TestCase(0.0, 5, 0)]
    public void FailRequestsFailsExactlyTheFraction(double fraction, int requests, int expectedFailures)
    {
        var plan = FaultPlan.Parse(FormattableString.Invariant($"fail_requests:{fraction}"));

        Assert.That(Enumerable.Range(0, requests).Count(i => plan.ShouldFailRequest(i)), Is.EqualTo(expectedFailures));
    }
}
