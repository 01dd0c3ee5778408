using System.Xml.Linq;
using Disagg.Harness.Cli;
using Disagg.Harness.Publishing;
using Disagg.Harness.Reporting;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Scripts;

/// <summary>
/// Acceptance on the local cluster through run_disagg_test.sh: a test whose waiver expired runs; its first attempt lands on a
/// node with an injected transport fault, is retried with that node excluded and passes; the TRX and JUnit show a pass with
/// the infra note, summary.md lists the retry and the stale waiver, and the bad-node ledger (disagg nodes) has the node.
/// </summary>
[Category("cluster")]
[RequiresCluster(Needs.Slurm)]
public sealed class InfraRetryScriptTests
{
    private const string Stem = "sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX";
    private const string Id = "disagg_perf_" + Stem;

    [Test, CancelAfter(300_000)]
    public async Task An_infrastructure_failure_passes_on_retry_and_every_report_says_so(CancellationToken token)
    {
        var project = Directory.CreateTempSubdirectory("disagg-infra-script-").FullName;
        try
        {
            var configs = Path.Combine(project, "configs", "disagg", "perf");
            Directory.CreateDirectory(configs);
            // The ctx server of the first job breaks its node, whichever the busy shared cluster gives (SIM_FAULT ...@first).
            var state = Path.Combine(project, "bad-node");
            var smoke = File.ReadAllText(Path.Combine(FixturePaths.RepoRoot, "configs", "disagg", "perf", Stem + ".yaml"));
            File.WriteAllText(Path.Combine(configs, Stem + ".yaml"), smoke.Replace("  server_env_var:",
                $"  ctx_worker_env_var: \"SIM_FAULT=transport_error@first SIM_FAULT_STATE={state}\"\n  server_env_var:", StringComparison.Ordinal));
            var list = Path.Combine(project, "list.txt");
            File.WriteAllText(list, $"{Id} SKIP (https://bugs/4711) until 2020-01-31\n");
            var results = Path.Combine(project, "results");
            var ledger = Path.Combine(project, "perfdb.sqlite");
            var run = await TestProcesses.RunAsync(TestProcesses.RunDisaggTestScript("--test-list", list, "--results-dir", results, "--infra-retries", "2")
                .WithEnvironmentVariables(("DISAGG_CONFIG_ROOT", Path.Combine(project, "configs")), ("DISAGG_PERFDB_SQLITE", ledger),
                    ("OPEN_SEARCH_DB_BASE_URL", null), ("DISAGG_PERFDB_CONNECTION", null), ("UPLOAD_TO_PERFDB", null)), token);
            var output = run.StandardOutput + run.StandardError;

            var trx = XDocument.Load(Path.Combine(results, "disagg-perf.trx"));
            XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
            var result = trx.Descendants(ns + "UnitTestResult").Single();
            var junit = File.ReadAllText(Path.Combine(results, JunitReport.FileName));
            var summary = File.ReadAllText(Path.Combine(results, "summary.md"));
            var nodes = new StringWriter();
            await NodesCommand.RunAsync(new NodesCommand.Options(results, "local", 1, 1),
                new Dictionary<string, string> { [SqlitePerfDb.PathVariable] = ledger }, TimeProvider.System, nodes, new StringWriter(), token);
            var bad = File.ReadAllText(state).Trim();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(run.ExitCode, Is.Zero, output);
                Assert.That(FinalNodes(Path.Combine(results, Id, "results.json")), Does.Not.Contain(bad), "the retry excluded the bad node");
                Assert.That((string?)result.Attribute("outcome"), Is.EqualTo("Passed"));
                Assert.That(result.Descendants(ns + "StdOut").Single().Value,
                    Does.Contain($"attempts: infra failure on {bad} (NCCL IB completion error), passed on retry"));
                Assert.That(result.Descendants(ns + "StdOut").Single().Value, Does.Contain("stale waiver: SKIP (https://bugs/4711) until 2020-01-31"));
                Assert.That(junit, Does.Contain($"attempts: infra failure on {bad} (NCCL IB completion error), passed on retry"));
                Assert.That(summary, Does.Contain("### Infrastructure and waivers").And.Contain("passed on retry").And.Contain("stale waiver"));
                Assert.That(nodes.ToString(), Does.Match(bad + @"\s+1 failure\(s\).*SUSPECT"));
                Assert.That(nodes.ToString(), Does.Contain("NCCL WARN NET/IB : Got completion from peer"));
            }
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    private static IReadOnlyList<string> FinalNodes(string resultsJson)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(resultsJson));
        return Harness.Cluster.NodeList.Expand(doc.RootElement.GetProperty("nodes").GetString());
    }
}
