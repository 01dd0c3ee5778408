using System.Text.Json.Nodes;
using Disagg.Harness.Execution;
using Disagg.Harness.Publishing;
using Disagg.Harness.Tests.Fixtures;
using Disagg.OpenSearchStandIn;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// A whole simulator run on the local SLURM cluster uploads to both destinations (the stand-in
/// with credentials, and PostgreSQL); and <c>run_disagg_test.sh</c> with an unreachable Perf DB keeps the test passed,
/// lists the failure in its summary and exits 3, or 0 with <c>--allow-upload-failure</c>.
/// </summary>
[RequiresCluster(Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed class EndToEndUploadTests
{
    private const string User = "perf-bot";
    private const string Password = "e2e-s3cret";

    [RequiresCluster(Needs.Slurm | Needs.Postgres)]
    [Test, CancelAfter(300_000)]
    public async Task A_simulator_run_uploads_to_opensearch_and_postgresql_with_rows_equal_to_the_parsed_results(CancellationToken token)
    {
        await using var context = TestConfigs.LocalContext();
        await using var db = await PostgresScratch.CreateAsync();
        await using var server = await StandInServer.StartAsync(new StandInOptions { User = User, Password = Password }, token);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var log = new List<string>();
        void Log(string line)
        {
            lock (log) log.Add(line);
            TestContext.Progress.WriteLine("  [e2e_upload] " + line);
        }

        var config = TestConfigs.Smoke("thresholds: []");
        var result = await Pipelines.RunAsync(context, config, "e2e_upload", Log, token);
        Assert.That(result.Problems, Is.Empty, "the simulator job must succeed");
        var blocks = result.Benchmark!.Blocks;
        Assert.That(blocks, Is.Not.Empty);

        var env = new Dictionary<string, string>(PublishingSamples.JenkinsPostMerge)
        {
            ["OPEN_SEARCH_DB_BASE_URL"] = server.BaseUrl.ToString(),
            ["OPEN_SEARCH_DB_CREDENTIALS_USR"] = User,
            ["OPEN_SEARCH_DB_CREDENTIALS_PSW"] = Password,
            ["DISAGG_PERFDB_CONNECTION"] = db.ConnectionString,
            ["DISAGG_RUN_ID"] = "e2e-upload-run",
        };
        var report = await ResultPublisher.Create(context.Settings.ResultsDir, env, TimeProvider.System, Log, http).PublishAsync(result, config, token);
        Assert.That(report.Failures, Is.Empty, string.Join("\n", report.Lines));

        var stored = server.Store.All(OpenSearchSettings.PerfProject);
        var sent = new JsonArray([.. stored.Select(d =>
        {
            var copy = (JsonObject)d.Source.DeepClone();
            copy["_id"] = d.Id;
            return (JsonNode)copy;
        })]);
        var store = new NpgsqlPerfDb(db.ConnectionString);
        var expected = blocks.SelectMany(b => b.Metrics.Select(m => (Key: ("e2e_upload", b.Concurrency, m.Key), m.Value)))
            .ToDictionary(x => x.Key, x => x.Value);
        var tests = await PerfDbRows.TestsAsync(store, "e2e-upload-run");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored.Select(d => d.Source["l_concurrency"]!.GetValue<long>()), Is.EquivalentTo(blocks.Select(b => (long)b.Concurrency)),
                "one document per concurrency");
            Assert.That(DocumentTypeCheck.Check(sent.ToJsonString()), Is.Empty, "the stored documents pass the type check");
            foreach (var doc in stored)
            {
                var block = blocks.Single(b => b.Concurrency == doc.Source["l_concurrency"]!.GetValue<long>());
                Assert.That(doc.Source["s_disagg_test_id"]!.GetValue<string>(), Is.EqualTo("e2e_upload"));
                Assert.That(doc.Source["s_test_case_name"]!.GetValue<string>(),
                    Is.EqualTo($"e2e-{Path.GetFileNameWithoutExtension(config.SourceFile)}-con{block.Concurrency}_iter4_isl128_osl32"));
                Assert.That(doc.Source["s_gpu_type"]!.GetValue<string>(), Is.EqualTo("gb200"), "DISAGG_GPU_TYPE overrides the simulator's facts");
                Assert.That(doc.Source["d_total_token_throughput"]?.GetValue<double>(), Is.EqualTo(block.Metrics["total_token_throughput"]),
                    "document metric = parsed metric");
            }
            Assert.That(await PerfDbRows.MetricsAsync(store, "e2e-upload-run"), Is.EquivalentTo(expected), "Perf DB metrics = parsed results");
            Assert.That(await PerfDbRows.ResultsAsync(store, "e2e-upload-run"),
                Is.EquivalentTo(blocks.Select(b => new KeyValuePair<(string, int), int?>(("e2e_upload", b.Concurrency), b.Prompts))));
            Assert.That(tests.Select(t => (t.TestId, t.Passed, t.JobId, t.JobState)), Is.EqualTo(new[] { ("e2e_upload", true, result.JobId, "COMPLETED") }));
            Assert.That(JsonNode.DeepEquals(tests[0].Config, global::Disagg.Harness.Configuration.ConfigJson.From(config)), "resolved config");
            Assert.That(new Outbox(context.Settings.ResultsDir).Pending(), Is.Empty);
            Assert.That(string.Join("\n", log), Does.Not.Contain(Password));
        }
    }

    [Test, CancelAfter(420_000)]
    public async Task Run_script_lists_upload_failures_and_exits_3_unless_allow_upload_failure(CancellationToken token)
    {
        var root = Directory.CreateTempSubdirectory("disagg-upload-script-").FullName;
        try
        {
            var configs = Path.Combine(root, "configs", "disagg", "perf");
            Directory.CreateDirectory(configs);
            var text = TestConfigs.SmokeText();
            var start = text.IndexOf("thresholds:", StringComparison.Ordinal);
            var end = text.IndexOf("worker_config:", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(configs, "smoke.yaml"), text[..start] + "thresholds: []\n" + text[end..]);
            var list = Path.Combine(root, "list.txt");
            File.WriteAllText(list, "disagg_perf_smoke\n");
            var results = Path.Combine(root, "results");
            var env = new Dictionary<string, string>
            {
                ["DISAGG_CONFIG_ROOT"] = Path.Combine(root, "configs"),
                ["DISAGG_PERFDB_CONNECTION"] = "Host=127.0.0.1;Port=1;Username=disagg;Password=topsecret;Database=x;Timeout=2",
            };

            var (code, output) = await RunScriptAsync(env, token, "--test-list", list, "--results-dir", results);
            var failures = File.ReadAllLines(Path.Combine(results, UploadFailureLog.FileName));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.EqualTo(3), output);
                Assert.That(output, Does.Contain("Tests: 1 passed, 0 failed"), "the upload failure does not change the perf verdict");
                Assert.That(output, Does.Contain("[disagg] 1 upload(s) failed after retries").And.Contain("disagg_perf_smoke -> Perf DB disagg@127.0.0.1:1/x")
                    .And.Contain("upload-pending").And.Contain("--allow-upload-failure"));
                Assert.That(output, Does.Not.Contain("topsecret"));
                Assert.That(failures, Has.Length.EqualTo(1));
                Assert.That(new Outbox(results).Pending().Select(e => e.Kind), Is.EqualTo(new[] { OutboxEntry.PerfDb }));
            }

            (code, output) = await RunScriptAsync(env, token, "--test-list", list, "--results-dir", results, "--allow-upload-failure");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.Zero, output);
                // The new job has its own outbox entry; the first run's entry is still undelivered, so both are listed.
                Assert.That(output, Does.Contain("[disagg] 2 upload(s) failed after retries").And.Contain("--allow-upload-failure: the exit code ignores"));
                Assert.That(UploadFailureLog.Read(results).Select(f => f.OutboxPath).ToList(),
                    Is.Unique.And.Count.EqualTo(2).And.All.Matches<string>(File.Exists));
                Assert.That(File.ReadAllText(Path.Combine(results, UploadFailureLog.FileName)), Does.StartWith("disagg_perf_smoke\t"), "no BOM");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(int Code, string Output)> RunScriptAsync(IReadOnlyDictionary<string, string> env, CancellationToken token, params string[] args)
    {
        var command = TestProcesses.RunDisaggTestScript(args)
            .WithEnvironmentVariables(("OPEN_SEARCH_DB_BASE_URL", null), ("UPLOAD_TO_PERFDB", null))
            .WithEnvironmentVariables(env);
        var result = await TestProcesses.RunAsync(command, token);
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }
}
