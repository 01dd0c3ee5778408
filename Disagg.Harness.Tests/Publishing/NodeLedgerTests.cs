using Disagg.Harness.Publishing;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// Migration 3 on both Perf DB stores (a throwaway PostgreSQL database and a SQLite file): the ledger records and reads
/// node failures per cluster, and a test's failure class and cluster land in perf_tests.
/// </summary>
[RequiresCluster(Needs.Postgres)]
[NonParallelizable]
public sealed class NodeLedgerTests
{
    private PostgresScratch _db = null!;
    private string _dir = "";

    [OneTimeSetUp]
    public async Task Create()
    {
        _db = await PostgresScratch.CreateAsync();
        _dir = Directory.CreateTempSubdirectory("disagg-ledger-").FullName;
    }

    [OneTimeTearDown]
    public async Task Drop()
    {
        if (_db is not null) await _db.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private IEnumerable<PerfDbStore> Stores() => [new NpgsqlPerfDb(_db.ConnectionString), new SqlitePerfDb(Path.Combine(_dir, SqlitePerfDb.FileName))];

    [Test]
    public async Task Failures_are_recorded_per_node_and_cluster_and_a_rerun_of_the_same_job_does_not_count_twice()
    {
        foreach (var store in Stores())
        {
            var ledger = new NodeLedger(store);
            var at = new DateTimeOffset(2026, 12, 7, 1, 2, 3, TimeSpan.Zero);
            NodeFailure Failure(string job, string node, string cluster) => new("r1", "t1", job, node, cluster, "NCCL timeout", "Watchdog caught", at);
            await ledger.RecordAsync([Failure("7", "node3", "a"), Failure("7", "node4", "a"), Failure("8", "node3", "a"), Failure("9", "node3", "b")],
                CancellationToken.None);
            await ledger.RecordAsync([Failure("7", "node3", "a")], CancellationToken.None);
            var nodes = await ledger.NodesAsync(at.AddDays(-1), 2, "a", CancellationToken.None);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(nodes.Select(n => (n.Node, n.Failures.Count, n.OverThreshold)), Is.EqualTo(new[] { ("node3", 2, true), ("node4", 1, false) }),
                    store.Display);
                Assert.That(nodes[0].Last, Is.EqualTo(at), store.Display);
                Assert.That(await ledger.NodesAsync(at.AddSeconds(1), 1, null, CancellationToken.None), Is.Empty, "outside the window");
            }
        }
    }

    [Test]
    public async Task A_tests_failure_class_and_cluster_are_stored_with_it()
    {
        foreach (var store in Stores())
        {
            var record = PublishingSamples.Record(runId: "class-1") with { Passed = false, FailureClass = "infrastructure", Cluster = "local" };
            await new PerfDbWriter(store).UpsertAsync(PerfDbRun.From(record, OpenSearchDocumentBuilder.Build(record)), CancellationToken.None);
            var tests = await new BaselineApprovals(store).TestsOfRunAsync("class-1", CancellationToken.None);
            Assert.That(tests.Select(t => (t.Cluster, t.Passed, t.FailureClass)), Is.EqualTo(new[] { ("local", false, "infrastructure") }), store.Display);
        }
    }
}
