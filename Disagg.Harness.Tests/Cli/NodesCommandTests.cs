using Disagg.Harness.Cli;
using Disagg.Harness.Publishing;

namespace Disagg.Harness.Tests.Cli;

/// <summary><c>disagg nodes</c> over a SQLite ledger: suspects with their evidence, the threshold, the cluster filter.</summary>
public sealed class NodesCommandTests
{
    [Test]
    public async Task Lists_nodes_with_evidence_and_marks_suspects_at_the_threshold()
    {
        var dir = Directory.CreateTempSubdirectory("disagg-nodes-").FullName;
        try
        {
            var store = new SqlitePerfDb(Path.Combine(dir, SqlitePerfDb.FileName));
            var now = DateTimeOffset.UtcNow;
            await new NodeLedger(store).RecordAsync([
                new NodeFailure("r1", "t1", "11", "node3", "local", "NCCL timeout", "[Rank 3] Watchdog caught collective operation timeout", now.AddHours(-2)),
                new NodeFailure("r2", "t2", "12", "node3", "local", "GPU Xid", "NVRM: Xid (PCI:0000:3b:00): 79", now.AddHours(-1)),
                new NodeFailure("r2", "t3", "13", "node1", "other", "SLURM step creation failure", "srun: error: Unable to create step", now.AddHours(-1)),
                new NodeFailure("r0", "t0", "10", "node2", "local", "NODE_FAIL", "", now.AddDays(-30)),
            ], CancellationToken.None);
            var output = new StringWriter();
            var code = await NodesCommand.RunAsync(new NodesCommand.Options(dir, "local", 7, 2), new Dictionary<string, string>(), TimeProvider.System,
                output, new StringWriter(), CancellationToken.None);
            var text = output.ToString();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.EqualTo(ExitCodes.Ok));
                Assert.That(text, Does.Match(@"node3\s+2 failure\(s\)  last .*  SUSPECT"));
                Assert.That(text, Does.Contain("run r2  t2  job 12: GPU Xid\n        NVRM: Xid (PCI:0000:3b:00): 79"));
                Assert.That(text, Does.Not.Contain("node1"), "another cluster's node");
                Assert.That(text, Does.Not.Contain("node2"), "a failure older than the window");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task Without_a_perf_db_it_says_what_to_set()
    {
        var error = new StringWriter();
        var code = await NodesCommand.RunAsync(new NodesCommand.Options("/nonexistent", null, 7, 2), new Dictionary<string, string>(),
            TimeProvider.System, new StringWriter(), error, CancellationToken.None);
        Assert.That((code, error.ToString()), Is.EqualTo((ExitCodes.BadInput,
            "nodes: no Perf DB: set DISAGG_PERFDB_CONNECTION (PostgreSQL) or DISAGG_PERFDB_SQLITE (a SQLite file), "
            + "or pass --results-dir of a run that wrote perfdb.sqlite\n")));
    }
}
