using Disagg.Harness.Cli;
using Disagg.Harness.Configuration;
using Disagg.Harness.Publishing;
using Disagg.Harness.Results;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// Baselines per cluster and GPU type on the embedded SQLite Perf DB: one cluster's history never judges another's run;
/// an approved baseline (disagg baseline approve) overrides the rolling history and disagg baseline show prints its trail;
/// failed runs never enter the window.
/// </summary>
[NonParallelizable]
public sealed class BaselineGovernanceTests
{
    private string _dir = "";
    private SqlitePerfDb _store = null!;

    [SetUp]
    public void CreateStore()
    {
        _dir = Directory.CreateTempSubdirectory("disagg-baselines-").FullName;
        _store = new SqlitePerfDb(Path.Combine(_dir, SqlitePerfDb.FileName));
    }

    [TearDown]
    public void DeleteStore() => Directory.Delete(_dir, recursive: true);

    private static readonly DateTimeOffset Since = new(2024, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<CaseKey> Keys(string cluster) =>
        [.. PublishingSamples.Keys(PublishingSamples.JenkinsPreMerge).Select(k => k with { Cluster = cluster })];

    /// <summary>A post-merge run of the sample on <paramref name="cluster"/> with every throughput scaled.</summary>
    private async Task WriteAsync(string runId, string cluster, double scale, bool passed = true)
    {
        var record = PublishingSamples.Record(runId: runId);
        record = record with
        {
            Cluster = cluster,
            Passed = passed,
            FailureClass = passed ? "" : "infrastructure",
            Results = [.. record.Results.Select(r => r with
            {
                Metrics = r.Metrics.ToDictionary(m => m.Key, m => m.Key.EndsWith("_throughput", StringComparison.Ordinal) ? m.Value * scale : m.Value),
            })],
        };
        await new PerfDbWriter(_store).UpsertAsync(PerfDbRun.From(record, OpenSearchDocumentBuilder.Build(record)), CancellationToken.None);
    }

    /// <summary>The regression rule on concurrency 4 at 100 tok/s output (sample c=4 history: 560), judged pre-merge on a cluster.</summary>
    private async Task<FindingSeverity> JudgeAsync(string cluster, double outputThroughput)
    {
        var block = new ConcurrencyResult(4, 16, new Dictionary<string, double>
        {
            ["output_token_throughput"] = outputThroughput, ["total_token_throughput"] = outputThroughput * 5,
        }, false, 1, 2, true);
        var context = RegressionContextFactory.For(PublishingSamples.TestId, PublishingSamples.Smoke(), PublishingSamples.JenkinsPreMerge,
            new DateTimeOffset(2025, 1, 3, 0, 0, 0, TimeSpan.Zero), "gb200", cluster);
        var verdict = await RegressionRule.EvaluateAsync([block], new PerfDbHistorySource(_store), RegressionSettings.Default, context,
            CancellationToken.None);
        return verdict.Findings.Single(f => f.Metric == "output_token_throughput").Severity;
    }

    [Test]
    public async Task One_clusters_history_never_judges_another_clusters_run()
    {
        await WriteAsync("a-1", "cluster-a", 1.0);   // c=4 output 560 tok/s
        await WriteAsync("b-1", "cluster-b", 0.2);   // c=4 output 112 tok/s
        var a = await new PerfDbHistorySource(_store).GetAsync(new HistoryQuery(Keys("cluster-a"), Since), CancellationToken.None);
        var b = await new PerfDbHistorySource(_store).GetAsync(new HistoryQuery(Keys("cluster-b"), Since), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.Select(h => h.Key.Cluster).Distinct(), Is.EqualTo(new[] { "cluster-a" }));
            Assert.That(b.Select(h => h.Key.Cluster).Distinct(), Is.EqualTo(new[] { "cluster-b" }));
            Assert.That(await JudgeAsync("cluster-b", 110), Is.EqualTo(FindingSeverity.Pass), "cluster B's own history is 112 tok/s");
            Assert.That(await JudgeAsync("cluster-a", 110), Is.EqualTo(FindingSeverity.Failure), "cluster A's history is 560 tok/s");
        }
    }

    [Test]
    public async Task Failed_runs_never_enter_the_history_window()
    {
        await WriteAsync("b-ok", "cluster-b", 1.0);
        await WriteAsync("b-infra", "cluster-b", 0.2, passed: false);
        var b = await new PerfDbHistorySource(_store).GetAsync(new HistoryQuery(Keys("cluster-b"), Since), CancellationToken.None);
        Assert.That(b.Select(h => h["output_token_throughput"]).Distinct().Order(), Is.EqualTo(new double?[] { 160.0, 560.0 }));
    }

    [Test]
    public async Task An_approved_baseline_overrides_the_rolling_history_and_show_prints_its_trail()
    {
        await WriteAsync("b-fast", "cluster-b", 1.0);
        await WriteAsync("b-slow", "cluster-b", 0.2);
        // The rolling history of cluster B mixes 560 and 112 tok/s; approving the slow run makes 112 the baseline.
        var env = new Dictionary<string, string> { [SqlitePerfDb.PathVariable] = _store.Path };
        var output = new StringWriter();
        var error = new StringWriter();
        var before = await JudgeAsync("cluster-b", 110);
        var approved = await BaselineCommand.ApproveAsync(new BaselineCommand.ApproveOptions("b-slow", [PublishingSamples.TestId],
            "new cluster B fabric firmware; slower is the new normal", "alice", _dir), env, TimeProvider.System, output, error, CancellationToken.None);
        var after = await JudgeAsync("cluster-b", 110);
        var otherCluster = await JudgeAsync("cluster-a", 110);
        var show = new StringWriter();
        await BaselineCommand.ShowAsync(PublishingSamples.TestId, env, _dir, show, error, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(approved, Is.EqualTo(ExitCodes.Ok), error.ToString());
            Assert.That(before, Is.EqualTo(FindingSeverity.Failure), "against the rolling history 110 tok/s regresses");
            Assert.That(after, Is.EqualTo(FindingSeverity.Pass), "against the approved 112 tok/s it does not");
            Assert.That(otherCluster, Is.EqualTo(FindingSeverity.Skipped), "cluster A has neither history nor an approval");
            Assert.That(show.ToString(), Does.Contain("1 approval(s)").And.Contain("cluster 'cluster-b'").And.Contain("run b-slow")
                .And.Contain("approved by alice  [in use]").And.Contain("reason: new cluster B fabric firmware; slower is the new normal"));
        }
    }

    [Test]
    public async Task A_failed_run_cannot_be_approved()
    {
        await WriteAsync("b-infra", "cluster-b", 1.0, passed: false);
        var env = new Dictionary<string, string> { [SqlitePerfDb.PathVariable] = _store.Path };
        var error = new StringWriter();
        var code = await BaselineCommand.ApproveAsync(new BaselineCommand.ApproveOptions("b-infra", [], "because", "bob", _dir), env,
            TimeProvider.System, new StringWriter(), error, CancellationToken.None);
        Assert.That((code, error.ToString()), Is.EqualTo((ExitCodes.Failed,
            $"baseline approve: {PublishingSamples.TestId} did not pass in run 'b-infra' (infrastructure failure); a failed run cannot become a baseline\n")));
    }
}
