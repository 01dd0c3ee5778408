using System.Xml.Linq;
using Disagg.Harness.Cli;
using Disagg.Harness.Publishing;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Tests.Publishing;

namespace Disagg.Harness.Tests.Cli;

/// <summary>
/// trend, pareto and compare against a real Perf DB, the embedded SQLite file and PostgreSQL alike: runs are written with
/// <see cref="PerfDbWriter"/> as a test run writes them (migrations included), then read back through the verbs.
/// </summary>
[NonParallelizable]
public sealed class HistoryCommandTests
{
    private const string TestA = "disagg_perf_sim-a";
    private const string TestB = "disagg_perf_sim-b";
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private string _tmp = null!;

    [SetUp]
    public void CreateTemp() => _tmp = Directory.CreateTempSubdirectory("disagg-history-").FullName;

    [TearDown]
    public void DeleteTemp() => Directory.Delete(_tmp, recursive: true);

    [Test]
    public async Task On_sqlite_trend_marks_the_step_and_compare_lists_it_first()
    {
        var store = new SqlitePerfDb(Path.Combine(_tmp, "perfdb.sqlite"));
        await SeedAsync(store);
        await ScenarioAsync(store, ["--sqlite", store.Path]);
    }

    [Test]
    [RequiresCluster(Needs.Postgres)]
    public async Task On_postgresql_trend_marks_the_step_and_compare_lists_it_first()
    {
        await using var db = await PostgresScratch.CreateAsync();
        var store = new NpgsqlPerfDb(db.ConnectionString);
        await SeedAsync(store);
        await ScenarioAsync(store, ["--db", db.ConnectionString]);
    }

    [Test]
    public void Without_a_database_or_with_a_missing_file_the_verbs_exit_2_and_say_what_to_pass()
    {
        var (code, _, err) = Cli(["trend"], _ => null);
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(err, Does.Contain("no Perf DB given; pass --db"));
        (code, _, err) = Cli(["compare", "a", "b", "--sqlite", Path.Combine(_tmp, "nope.sqlite")], _ => null);
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(err, Does.Contain("nope.sqlite' does not exist"));
        Assert.That(File.Exists(Path.Combine(_tmp, "nope.sqlite")), Is.False, "reading never creates a database");
    }

    [Test]
    public async Task Compare_of_a_results_folder_writes_into_it_and_appends_to_its_summary()
    {
        var store = new SqlitePerfDb(Path.Combine(_tmp, "perfdb.sqlite"));
        await SeedAsync(store);
        var results = Path.Combine(_tmp, "run-5");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "summary.md"), "## Disagg perf summary\n");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var options = new HistoryOptions(null, store.Path, new HistoryFilter(), Disagg.Harness.Reporting.RunComparison.DefaultMetrics, 0, ".");

        var code = await HistoryCommand.CompareResultsAsync(HistoryCommand.BaselineKeyword, results, options, 20, _ => null, T0, output, error,
            CancellationToken.None);

        Assert.That(code, Is.Zero, error.ToString());
        var summary = File.ReadAllText(Path.Combine(results, "summary.md"));
        Assert.That(summary, Does.StartWith("## Disagg perf summary\n\n### Disagg compare: `run-4` → `run-5`"), "the run is the folder's name");
        Assert.That(File.Exists(Path.Combine(results, "compare.md")) && File.Exists(Path.Combine(results, "compare.html")));
    }

    [Test]
    public void Run_script_rejects_a_compare_to_value_that_is_not_a_run_id()
    {
        var script = Path.Combine(FixturePaths.RepoRoot, "run_disagg_test.sh");
        var result = TestProcesses.Run(new Disagg.Harness.Cluster.Command("bash", [script, "--no-build", "--compare-to", "a;b"])
            .WithTimeout(TimeSpan.FromMinutes(1)));
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.StandardError, Does.StartWith("run_disagg_test.sh: --compare-to needs 'baseline' or a run id"));
    }

    private async Task ScenarioAsync(PerfDbStore store, string[] db)
    {
        // trend of one test: the slow run is the newest point, ringed as a regression
        var (code, output, err) = Cli(["trend", "--test", TestA, "--out", _tmp, .. db]);
        Assert.That(code, Is.Zero, err);
        var trend = Parse(Path.Combine(_tmp, "trend.html"));
        var regressions = trend.Descendants().Where(e => (string?)e.Attribute("class") == "point regression").ToList();
        Assert.That(regressions, Is.Not.Empty, output);
        Assert.That(regressions.Select(e => e.Element(Svg + "title")!.Value), Has.All.Contain("run run-5"));
        Assert.That(output, Does.Contain("1 tests, 6 runs"));

        // trend of everything in category perf: the infra failure is marked too
        (code, output, err) = Cli(["trend", "--category", "perf", "--gpu", "GB200", "--out", Path.Combine(_tmp, "all.html"), .. db]);
        Assert.That(code, Is.Zero, err);
        Assert.That(Parse(Path.Combine(_tmp, "all.html")).Descendants().Count(e => (string?)e.Attribute("class") == "point infra-failure"),
            Is.GreaterThan(0), output);
        Assert.That(output, Does.Contain("1 runs with infra failures"));

        // compare: the slowed metrics first, significant
        (code, output, err) = Cli(["compare", "run-4", "run-5", "--out", _tmp, .. db]);
        Assert.That(code, Is.Zero, err);
        var rows = output.Split('\n').Where(l => l.StartsWith("| ‼", StringComparison.Ordinal) || l.StartsWith("| !", StringComparison.Ordinal)
            || l.StartsWith("| ~", StringComparison.Ordinal) || l.StartsWith("| ?", StringComparison.Ordinal)).ToList();
        // test A's throughput, per-GPU throughput and per-user throughput -20 %, TPOT +25 %, at both concurrencies; then the rest
        var slowed = rows.Take(8).ToList();
        Assert.That(slowed.Select(r => r.Split('|')[3].Trim()).Distinct(), Is.EquivalentTo(new[]
            { "`output_token_throughput`", "`output_tps_per_gpu`", "`user_throughput`", "`median_tpot_ms`" }), output);
        Assert.That(slowed, Has.All.StartWith($"| ‼ worse | `{TestA}`"), output);
        Assert.That(rows.Skip(8), Has.None.StartWith("| ‼ worse"), output);
        Assert.That(output, Does.Contain("| all | commit | `commit-4` | `commit-5` |"));
        Assert.That(File.ReadAllText(Path.Combine(_tmp, "compare.md")), Does.StartWith("### Disagg compare: `run-4` → `run-5`"));
        Assert.That(File.Exists(Path.Combine(_tmp, "compare.html")));

        // compare against the rolling baseline: the newest earlier run whose tests all passed
        (code, output, err) = Cli(["compare", "baseline", "run-5", "--out", _tmp, .. db]);
        Assert.That(code, Is.Zero, err);
        Assert.That(output, Does.Contain("compare: run-4 → run-5"));

        // an approved baseline (disagg baseline approve) is asked first: run-2 approved for test A
        var approvals = new BaselineApprovals(store);
        var stored = (await approvals.TestsOfRunAsync("run-2", CancellationToken.None)).Single(t => t.TestId == TestA);
        await approvals.AddAsync([new BaselineApproval("approval-1", stored.Cluster, stored.GpuType, TestA, "run-2", "perf-lead",
            T0.AddDays(3), "known-good image")], CancellationToken.None);
        (code, output, err) = Cli(["compare", "baseline", "run-5", "--out", _tmp, .. db]);
        Assert.That(code, Is.Zero, err);
        Assert.That(output, Does.Contain("compare: run-2 → run-5"));
        Assert.That(err, Does.Contain("baseline is run-2, approved by perf-lead on " + T0.AddDays(3).ToString("yyyy-MM-dd",
            System.Globalization.CultureInfo.InvariantCulture) + " for " + TestA + " (known-good image)"));

        // bad run ids: a clear error, exit 2
        (code, _, err) = Cli(["compare", "run-4", "no-such-run", .. db]);
        Assert.That((code, err.Trim()), Is.EqualTo((ExitCodes.BadInput, $"compare: run 'no-such-run' is not in the Perf DB {store.Display}; " +
            "list stored runs with SELECT DISTINCT run_id FROM perf_tests, or check --db / --sqlite")));
        (code, _, err) = Cli(["compare", "run;drop", "run-5", .. db]);
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(err, Does.Contain("'run;drop' is not a run id"));

        // pareto of the two configurations of one family: two frontiers and the matched table
        (code, output, err) = Cli(["pareto", "--model", "sim-tiny", "--group-by", "test", "--out", _tmp, .. db]);
        Assert.That(code, Is.Zero, err);
        var pareto = Parse(Path.Combine(_tmp, "pareto.html"));
        Assert.That(pareto.Descendants(Svg + "polyline").Count(e => (string?)e.Attribute("class") == "frontier"), Is.EqualTo(2), output);
        var matched = pareto.Descendants("table").Single(t => (string?)t.Attribute("class") == "matched");
        Assert.That(matched.Elements("tr").Count(), Is.GreaterThan(1));
    }

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument Parse(string path) =>
        XDocument.Parse(File.ReadAllText(path).Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));

    /// <summary>
    /// The verbs' arguments as Disagg.Cli maps them (the test project does not reference the CLI executable): options
    /// <c>--name value</c>, then positional run ids.
    /// </summary>
    private static (int Code, string Out, string Err) Cli(string[] args, Func<string, string?>? env = null)
    {
        env ??= _ => null;
        var named = new Dictionary<string, string>();
        var positional = new List<string>();
        for (var i = 1; i < args.Length; i++)
            if (args[i].StartsWith("--", StringComparison.Ordinal)) named[args[i]] = args[++i];
            else positional.Add(args[i]);
        string? Get(string name) => named.GetValueOrDefault(name);
        var filter = new HistoryFilter(Get("--test"), Get("--model"), Get("--gpu"), Get("--cluster"), Get("--category"));
        using var output = new StringWriter();
        using var error = new StringWriter();
        HistoryOptions Options(IReadOnlyList<string> metrics, int last, string @out) =>
            new(Get("--db"), Get("--sqlite"), filter, metrics, last, Get("--out") ?? @out);
        var code = args[0] switch
        {
            "trend" => HistoryCommand.TrendAsync(Options(HistoryOptions.KeyMetrics, 20, "trend.html"), env, T0, output, error, CancellationToken.None),
            "pareto" => HistoryCommand.ParetoAsync(Options([], 2000, "pareto.html"), Get("--group-by") ?? "commit", env, T0, output, error,
                CancellationToken.None),
            "compare" => HistoryCommand.CompareAsync(positional[0], positional[1], Options(Disagg.Harness.Reporting.RunComparison.DefaultMetrics, 0, "."),
                20, env, T0, output, error, CancellationToken.None),
            _ => throw new ArgumentException(args[0]),
        };
        return (code.GetAwaiter().GetResult(), output.ToString(), error.ToString());
    }

    /// <summary>
    /// Test A: runs 0-4 at about 100 tok/s (c=1 and 4), run 5 at 80 with a longer TPOT; run 3 of test B is an infra failure
    /// (NODE_FAIL, no results). Test B, a second configuration of the same family, trades interactivity for throughput.
    /// </summary>
    private static async Task SeedAsync(PerfDbStore store)
    {
        var writer = new PerfDbWriter(store);
        double[] wobble = [0, 1, -1, 0.5, -0.5];
        for (var i = 0; i <= 5; i++)
        {
            var scale = i == 5 ? 0.8 : 1 + wobble[i] / 100;
            await writer.UpsertAsync(Run($"run-{i}", TestA, i, true, [Concurrency(1, 100 * scale, 50 * scale), Concurrency(4, 380 * scale, 45 * scale)]),
                CancellationToken.None);
            await writer.UpsertAsync(i == 3
                    ? Run($"run-{i}", TestB, i, false, [], "NODE_FAIL")
                    : Run($"run-{i}", TestB, i, true, [Concurrency(1, 60, 60), Concurrency(4, 300, 52), Concurrency(8, 420, 40)]),
                CancellationToken.None);
        }
    }

    private static PerfDbConcurrency Concurrency(int c, double tps, double userTps) =>
        new(c, c * 4, new Dictionary<string, double>
        {
            ["output_token_throughput"] = tps, ["user_throughput"] = userTps, ["median_ttft_ms"] = 120, ["median_tpot_ms"] = 1000 / userTps,
        }, "{}")
        {
            OutputTpsPerGpu = tps / 2,
            ThroughputGpus = 2,
        };

    private static PerfDbRun Run(string runId, string testId, int hour, bool passed, IReadOnlyList<PerfDbConcurrency> results, string state = "COMPLETED")
    {
        var at = T0.AddHours(hour);
        return new PerfDbRun(runId, testId, passed, passed ? [] : ["job ended NODE_FAIL on node3 before the benchmark ran"], "gb200", "e2e", 1, 1,
            new JobFacts("10" + hour, state, "0:0", "node" + hour, at.AddMinutes(-2), at, 120),
            """{"metadata":{"model_name":"sim-tiny"},"worker_config":{"gen":{"max_batch_size":16}}}""", $$"""{"Commit":"commit-{{hour}}"}""", results)
        {
            History = new PerfDbHistoryColumns("sim-tiny", 128, 32, "perf", "img:1", $"commit-{hour}", "local"),
        };
    }
}
