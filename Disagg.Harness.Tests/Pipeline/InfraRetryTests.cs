using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Execution;
using Disagg.Harness.Pipeline;
using Disagg.Harness.Publishing;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Pipeline;

/// <summary>
/// Infrastructure failures on the real local cluster: a node-scoped simulator fault is retried on another node (sbatch
/// --exclude) and lands in the bad-node ledger; a server exception is product and never retried; --avoid-suspect-nodes
/// keeps the job off a suspect node.
/// </summary>
[RequiresCluster(Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed class InfraRetryTests
{
    private readonly List<RunContext> _contexts = [];
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("disagg-infra-").FullName;

    [OneTimeTearDown]
    public async Task DisposeContexts()
    {
        foreach (var c in _contexts) await c.DisposeAsync();
    }

    private RunContext Context(Func<RunSettings, RunSettings> edit)
    {
        var repo = FixturePaths.RepoRoot;
        var settings = new RunSettings(repo, Path.Combine(repo, "configs"), "", Path.Combine(repo, "clusters", "local.yaml"),
            Path.Combine(_dir, "results"), TimeSpan.FromMinutes(5));
        var context = RunContext.CreateLocal(edit(settings));
        _contexts.Add(context);
        return context;
    }

    private static Task<TestRunResult> Run(RunContext context, NodeLedger ledger, Harness.Configuration.DisaggConfig config, string id,
        CancellationToken token) =>
        new PerfTestPipeline(context, new PipelineServices
        {
            Environment = new Dictionary<string, string>(),
            History = _ => (null, "regression history: none"),
            Ledger = ledger,
        })
            .RunAsync(PerfCase.Of(id, config), line => TestContext.Progress.WriteLine($"  [{id}] {line}"), token);

    [Test, CancelAfter(240_000)]
    public async Task A_worker_stuck_before_loading_its_model_is_an_infrastructure_failure_retried_on_another_node(CancellationToken token)
    {
        // The ctx worker on the first node never gets to loading its model (a hung container or filesystem); the job's
        // /health wait gives up after 8 s.
        var state = Path.Combine(_dir, "stalled-node");
        var ledger = new NodeLedger(new SqlitePerfDb(Path.Combine(_dir, "ledger.sqlite")));
        var profile = LocalCluster.ProfileVariant(
            t => t.Replace("DISAGG_SERVER_START_TIMEOUT_S: \"120\"", "DISAGG_SERVER_START_TIMEOUT_S: \"8\"", StringComparison.Ordinal));
        var context = Context(s => s with { ClusterProfile = profile, InfraRetries = 1 });
        var config = TestConfigs.Smoke("thresholds: []", TestConfigs.CtxEnv($"SIM_FAULT=stall_before_load@first SIM_FAULT_STATE={state}"));
        var result = await Run(context, ledger, config, "infra_stalled", token);
        var bad = File.ReadAllText(state).Trim();
        TestContext.Out.WriteLine(string.Join("\n", result.Stages));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Passed, Is.True, result.Report.Message);
            Assert.That(result.EarlierAttempts, Has.Count.EqualTo(1));
            var first = result.EarlierAttempts[0].Failure;
            Assert.That((first.Class, first.Cause, first.Nodes), Is.EqualTo((FailureClass.Infrastructure, FailureClassifier.NeverLoadedCause, new[] { bad })));
            Assert.That(first.Evidence, Is.EqualTo($"ctx_server_0.log on {bad} wrote no model-loading line"));
            Assert.That(NodeList.Expand(result.Run.Outcome?.Nodes), Does.Not.Contain(bad));
        }
    }

    [Test, CancelAfter(240_000)]
    public async Task A_transport_fault_on_the_first_node_is_retried_elsewhere_passes_and_is_recorded(CancellationToken token)
    {
        // The ctx server of the first job breaks its node (SIM_FAULT ...@first remembers it in a file every node reads),
        // whichever node the busy shared cluster gives; a worker on any other node is healthy.
        var state = Path.Combine(_dir, "bad-node");
        var ledger = new NodeLedger(new SqlitePerfDb(Path.Combine(_dir, "ledger.sqlite")));
        var context = Context(s => s with { InfraRetries = 2 });
        var config = TestConfigs.Smoke("thresholds: []", TestConfigs.CtxEnv($"SIM_FAULT=transport_error@first SIM_FAULT_STATE={state}"));
        var result = await Run(context, ledger, config, "infra_retry", token);
        var recorded = await ledger.NodesAsync(DateTimeOffset.UtcNow.AddHours(-1), 1, "local", token);
        var bad = File.ReadAllText(state).Trim();
        TestContext.Out.WriteLine(string.Join("\n", result.Stages));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Passed, Is.True, result.Report.Message);
            Assert.That(result.EarlierAttempts, Has.Count.EqualTo(1));
            Assert.That(result.EarlierAttempts[0].Failure.Class, Is.EqualTo(FailureClass.Infrastructure));
            Assert.That(result.EarlierAttempts[0].Failure.Nodes, Is.EqualTo(new[] { bad }));
            Assert.That(result.AttemptNote, Is.EqualTo($"infra failure on {bad} (NCCL IB completion error), passed on retry"));
            Assert.That(NodeList.Expand(result.Run.Outcome?.Nodes), Does.Not.Contain(bad));
            Assert.That(result.Stages.Where(s => s.Attempt == 2).Select(s => s.Stage), Does.Contain(PipelineStage.Submit));
            Assert.That(result.LogLines, Has.Some.Contains($"excluding {bad})"));
            Assert.That(recorded.Select(n => n.Node), Is.EqualTo(new[] { bad }));
            Assert.That(recorded.SelectMany(n => n.Failures).Select(f => f.Evidence), Has.All.Contains("NCCL WARN NET/IB"));
            Assert.That(result.EarlierAttempts[0].KeptWorkspace, Is.Not.Null.And.Matches<string>(Directory.Exists));
        }
    }

    [Test, CancelAfter(120_000)]
    public async Task A_server_exception_is_product_and_never_retried(CancellationToken token)
    {
        var ledger = new NodeLedger(new SqlitePerfDb(Path.Combine(_dir, "ledger.sqlite")));
        var context = Context(s => s with { InfraRetries = 3 });
        var result = await Run(context, ledger, TestConfigs.Smoke("thresholds: []", TestConfigs.CtxEnv("SIM_FAULT=crash_on_start")), "server_exception",
            token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Passed, Is.False);
            Assert.That(result.Run.Failure?.Class, Is.EqualTo(FailureClass.Product), result.Report.Message);
            Assert.That(result.EarlierAttempts, Is.Empty);
            Assert.That(result.Stages.Select(s => s.Attempt), Is.All.EqualTo(1));
            Assert.That(await ledger.FailuresAsync(DateTimeOffset.UtcNow.AddHours(-1), null, token), Is.Empty);
        }
    }

    [Test, CancelAfter(180_000)]
    public async Task Avoid_suspect_nodes_never_allocates_a_suspect_node(CancellationToken token)
    {
        var ledger = new NodeLedger(new SqlitePerfDb(Path.Combine(_dir, "ledger.sqlite")));
        await ledger.RecordAsync([new NodeFailure("earlier-run", "some_test", "1", "node1", "local", "NCCL IB completion error",
            "node1:1:1 [0] NCCL WARN NET/IB : Got completion from peer", DateTimeOffset.UtcNow.AddMinutes(-5))], token);
        var context = Context(s => s with { AvoidSuspectNodes = true, SuspectThreshold = 1 });
        var result = await Run(context, ledger, TestConfigs.Smoke("thresholds: []"), "avoid_suspects", token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Passed, Is.True, result.Report.Message);
            Assert.That(result.AvoidedNodes, Is.EqualTo(new[] { "node1" }));
            Assert.That(NodeList.Expand(result.Run.Outcome?.Nodes), Does.Not.Contain("node1"));
            Assert.That(result.LogLines, Has.Some.Contains("--avoid-suspect-nodes: excluding suspect node(s) node1 (1 infrastructure failure(s)"));
            Assert.That(result.LogLines, Has.Some.Match(@"submitted job \d+ .*, excluding node1\)"));
        }
    }
}
