using System.Xml.Linq;
using Disagg.Harness.Cli;
using Disagg.Harness.Configuration;
using Disagg.Harness.Pipeline;
using Disagg.Harness.Publishing;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Tests.Publishing;

namespace Disagg.Harness.Tests.Cli;

/// <summary>
/// Acceptance of the history verbs on real runs: five small simulator jobs on the local SLURM cluster, uploaded to a
/// throwaway PostgreSQL Perf DB as a run uploads them. Three runs of test A and one of a second configuration B run side by
/// side; then A once more with the simulator slowed (SIM_DECODE_STEP_MS=20 instead of 4, through worker_env_var). trend
/// must ring the slow run as a regression, compare must list the slowed metrics first as significant, and pareto must draw
/// one frontier per configuration.
/// </summary>
[RequiresCluster(Needs.Slurm | Needs.Postgres)]
[Category("cluster")]
[NonParallelizable]
public sealed class HistoryOnClusterTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static Func<string, string> WorkerEnv(string env) => text =>
        text.Replace("TRTLLM_WORKER_DISABLE_GC=1\"", $"TRTLLM_WORKER_DISABLE_GC=1 {env}\"", StringComparison.Ordinal);

    [Test, CancelAfter(300_000)]
    public async Task Trend_marks_the_slowdown_compare_lists_it_first_and_pareto_draws_two_frontiers(CancellationToken token)
    {
        await using var db = await PostgresScratch.CreateAsync();
        var normal = TestConfigs.Smoke("thresholds: []");
        var other = TestConfigs.Smoke("thresholds: []", WorkerEnv("SIM_DECODE_STEP_MS=2 SIM_DECODE_MS_PER_SEQ=1.5"));
        var slow = TestConfigs.Smoke("thresholds: []", WorkerEnv("SIM_DECODE_STEP_MS=20"));

        await Task.WhenAll(
            RunAndUploadAsync(normal, "hist_a", "hist-run-1", db, token),
            RunAndUploadAsync(normal, "hist_a", "hist-run-2", db, token),
            RunAndUploadAsync(normal, "hist_a", "hist-run-3", db, token),
            RunAndUploadAsync(other, "hist_b", "hist-run-3", db, token));
        await RunAndUploadAsync(slow, "hist_a", "hist-run-4", db, token);

        var dir = Directory.CreateTempSubdirectory("disagg-history-cluster-").FullName;
        try
        {
            Func<string, string?> env = name => name == PerfDbSettings.ConnectionVariable ? db.ConnectionString : null;
            var options = new HistoryOptions(null, null, new HistoryFilter("hist_a"), HistoryOptions.KeyMetrics, 20, dir);
            var (code, output, error) = await Run((o, e) => HistoryCommand.TrendAsync(options, env, DateTimeOffset.UtcNow, o, e, token));
            Assert.That(code, Is.Zero, error);
            TestContext.Out.WriteLine(output);
            var trend = Parse(Path.Combine(dir, "trend.html"));
            var rings = trend.Descendants().Where(e => (string?)e.Attribute("class") == "point regression")
                .Select(e => e.Element(Svg + "title")!.Value).ToList();
            Assert.That(rings.Where(t => t.Contains("output_token_throughput", StringComparison.Ordinal)), Is.Not.Empty, string.Join("\n", rings));
            Assert.That(rings, Has.All.Contain("run hist-run-4"), "only the slowed run is ringed");

            (code, output, error) = await Run((o, e) => HistoryCommand.CompareAsync("hist-run-3", "hist-run-4",
                options with { Filter = new HistoryFilter(), Metrics = Disagg.Harness.Reporting.RunComparison.DefaultMetrics }, 20, env,
                DateTimeOffset.UtcNow, o, e, token));
            Assert.That(code, Is.Zero, error);
            TestContext.Out.WriteLine(output);
            var rows = output.Split('\n').Where(l => l.StartsWith("| ‼", StringComparison.Ordinal) || l.StartsWith("| !", StringComparison.Ordinal)
                || l.StartsWith("| ~", StringComparison.Ordinal) || l.StartsWith("| ?", StringComparison.Ordinal)).ToList();
            // A slower decode step slows every throughput and latency, TTFT too (the first token waits for a decode step).
            string[] slowed = ["`output_token_throughput`", "`output_tps_per_gpu`", "`user_throughput`", "`request_throughput`",
                "`median_tpot_ms`", "`p99_tpot_ms`", "`median_itl_ms`", "`median_e2el_ms`", "`p99_e2el_ms`", "`median_ttft_ms`", "`p99_ttft_ms`"];
            var worst = rows.TakeWhile(r => r.StartsWith("| ‼ worse", StringComparison.Ordinal)).ToList();
            Assert.That(worst, Has.Count.GreaterThanOrEqualTo(6), output);
            Assert.That(worst.Take(6).Select(r => r.Split('|')[3].Trim()).Distinct(), Is.SubsetOf(slowed), output);
            Assert.That(worst.Select(r => r.Split('|')[3].Trim()), Does.Contain("`output_token_throughput`").And.Contain("`median_tpot_ms`"));
            Assert.That(worst, Has.All.Contain("| `hist_a` |"));
            Assert.That(output, Does.Contain("| config environment.worker\\_env.SIM\\_DECODE\\_STEP\\_MS | `(unset)` | `20` |"),
                "the changed simulator setting is named");

            var pareto = options with { Filter = new HistoryFilter(Model: "sim-tiny"), Out = Path.Combine(dir, "pareto.html") };
            (code, output, error) = await Run((o, e) => HistoryCommand.ParetoAsync(pareto, "test", env, DateTimeOffset.UtcNow, o, e, token));
            Assert.That(code, Is.Zero, error);
            TestContext.Out.WriteLine(output);
            Assert.That(Parse(Path.Combine(dir, "pareto.html")).Descendants(Svg + "polyline").Count(e => (string?)e.Attribute("class") == "frontier"),
                Is.EqualTo(2));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task RunAndUploadAsync(DisaggConfig config, string id, string runId, PostgresScratch db, CancellationToken token)
    {
        await using var context = TestConfigs.LocalContext();
        void Log(string line) => TestContext.Progress.WriteLine($"  [{runId} {id}] {line}");
        var result = await Pipelines.RunAsync(context, config, id, Log, token);
        Assert.That(result.Problems, Is.Empty, $"{runId} {id}: the simulator job must succeed");
        var env = new Dictionary<string, string>
        {
            [PerfDbSettings.ConnectionVariable] = db.ConnectionString,
            ["DISAGG_RUN_ID"] = runId,
            ["GIT_COMMIT"] = "commit-" + runId,
            [PerfDbHistoryColumns.ClusterVariable] = "local",
        };
        using var http = new HttpClient();
        var report = await ResultPublisher.Create(context.Settings.ResultsDir, env, TimeProvider.System, Log, http).PublishAsync(result, config, token);
        Assert.That(report.Failures, Is.Empty, string.Join("\n", report.Lines));
    }

    private static async Task<(int Code, string Out, string Err)> Run(Func<TextWriter, TextWriter, Task<int>> command)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await command(output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static XDocument Parse(string path) =>
        XDocument.Parse(File.ReadAllText(path).Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));
}
