using Disagg.Harness.Cli;
using Disagg.Harness.Publishing;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Tests.Publishing;
using Disagg.Harness.Tests.Reporting;
using Disagg.OpenSearchStandIn;

namespace Disagg.Harness.Tests.Cli;

/// <summary>render, report, upload-pending and reevaluate, run in-process: what they write, print and exit with.</summary>
[NonParallelizable]
public sealed class CliVerbTests
{
    private string _tmp = null!;

    [SetUp]
    public void CreateTemp() => _tmp = Directory.CreateTempSubdirectory("disagg-cli-").FullName;

    [TearDown]
    public void DeleteTemp() => Directory.Delete(_tmp, recursive: true);

    private static (int Code, string Out, string Err) Run(Func<TextWriter, TextWriter, int> command)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = command(output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static (int Code, string Out, string Err) Render(RenderCommand.Options options, Dictionary<string, string>? env = null) =>
        Run((o, e) => RenderCommand.Run(options, FixturePaths.RepoRoot, name => env?.GetValueOrDefault(name), o, e));

    private static string Smoke => FixturePaths.Fixture("configs", "smoke.yaml");

    // ---- render

    [Test]
    public void Render_of_the_smoke_config_writes_job_sbatch_and_lists_the_files()
    {
        var dir = Path.Combine(_tmp, "job");
        var (code, output, error) = Render(new RenderCommand.Options(Smoke, "local", dir, RunId: "cli-render-1"));
        var script = Path.Combine(dir, JobFiles.BatchScript);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(error, Is.Empty);
            Assert.That(File.Exists(script));
            if (!OperatingSystem.IsWindows())
                Assert.That(File.GetUnixFileMode(script) & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute));
            Assert.That(output, Does.StartWith($"rendered smoke for cluster profile local (2 node(s), 9 files) into {dir}"));
            Assert.That(output, Does.Contain($"sbatch script: {script}{Environment.NewLine}"));
            Assert.That(output, Does.Contain("nothing was submitted"));
            foreach (var name in new[] { JobFiles.CtxConfig, JobFiles.GenConfig, JobFiles.BenchmarkScript,
                JobFiles.JobMetadata, JobFiles.ResolvedConfig, "start_ctx_server_0.sh" })
            {
                Assert.That(File.Exists(Path.Combine(dir, name)), name);
                Assert.That(output, Does.Contain("  " + Path.Combine(dir, name)));
            }
            Assert.That(File.ReadAllText(script), Does.Contain("--comment=disagg-run=cli-render-1"));
            Assert.That(File.ReadAllText(Path.Combine(dir, JobFiles.JobMetadata)), Does.Contain("DISAGG_TEST_ID=smoke"));
        }
    }

    [Test]
    public void Render_names_the_test_after_the_config_tree_and_honours_test_id_and_profile_names()
    {
        var config = Path.Combine(FixturePaths.RepoRoot, "configs", "disagg", "perf", "sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX.yaml");
        Assert.That(RenderCommand.TestIdOf(config), Is.EqualTo("disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX"));

        var dir = Path.Combine(_tmp, "real");
        var (code, output, _) = Render(new RenderCommand.Options(Smoke, "real", dir, "my_test"));
        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output, Does.StartWith("rendered my_test for cluster profile example-real "));
        Assert.That(File.ReadAllText(Path.Combine(dir, JobFiles.BatchScript)), Does.Contain("--partition=batch").And.Not.Contain("--comment="));
    }

    [Test]
    public void Render_bad_input_is_a_clear_error_with_exit_2_and_writes_nothing()
    {
        var dir = Path.Combine(_tmp, "none");
        var broken = Path.Combine(_tmp, "broken.yaml");
        File.WriteAllText(broken, File.ReadAllText(Smoke).Replace("  num_ctx_servers: 1", "  num_ctx_servers: -3", StringComparison.Ordinal));
        var cases = new (RenderCommand.Options Options, string Expected)[]
        {
            (new(Path.Combine(_tmp, "missing.yaml"), "local", dir), $"render: config '{Path.Combine(_tmp, "missing.yaml")}' not found"),
            (new(Smoke, "nope", dir), "render: cluster profile 'nope' not found: give a profile file or one of local, sim, real, trtllm"),
            (new(Smoke, "local", dir, "bad id"), "render: test id 'bad id' may only use letters, digits and _ . -"),
            (new(broken, "local", dir), $"{broken}:"),
        };
        foreach (var (options, expected) in cases)
        {
            var (code, output, error) = Render(options);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.EqualTo(ExitCodes.BadInput), expected);
                Assert.That(error, Does.StartWith(expected));
                Assert.That(output, Is.Empty);
            }
        }
        Assert.That(Directory.Exists(dir), Is.False);
    }

    [Test]
    public void Render_refuses_what_used_to_throw_with_exit_2_and_no_stack_trace()
    {
        var existingFile = Path.Combine(_tmp, "already-a-file");
        File.WriteAllText(existingFile, "x");
        var quote = Path.Combine(_tmp, "quote.yaml");
        File.WriteAllText(quote, File.ReadAllText(Smoke).Replace("  job_name: disagg-smoke", "  job_name: 'a\"b'", StringComparison.Ordinal));
        var newline = Path.Combine(_tmp, "smoke\nx.yaml");
        File.Copy(Smoke, newline);
        var dir = Path.Combine(_tmp, "out");
        var cases = new (RenderCommand.Options Options, Dictionary<string, string>? Env, string Expected)[]
        {
            (new(Smoke, "local", existingFile), null, $"render: --out '{existingFile}' is a file; give a folder (it is created if missing)"),
            (new(quote, "local", dir), null, $"{quote}:14:13: slurm.job_name: 'a\"b' is not a valid job name"),
            (new(newline, "local", dir), null, "render: test id 'smoke\\nx' may only use letters, digits and _ . -; rename the config or pass --test-id"),
            (new(Smoke, "local", dir), new() { ["DISAGG_SLURM_PARTITION"] = "p;q" },
                $"{Smoke}: slurm.partition: environment variable DISAGG_SLURM_PARTITION: 'p;q'"),
        };
        foreach (var (options, env, expected) in cases)
        {
            var (code, output, error) = Render(options, env);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.EqualTo(ExitCodes.BadInput), expected);
                Assert.That(error, Does.StartWith(expected));
                Assert.That(error + output, Does.Not.Contain("   at "), "no stack trace");
            }
        }
        Assert.That(File.ReadAllText(existingFile), Is.EqualTo("x"));
        Assert.That(Directory.Exists(dir), Is.False);
    }

    [Test]
    public void Render_profile_defaults_to_DISAGG_CLUSTER_PROFILE()
    {
        var (code, _, error) = Render(new RenderCommand.Options(Smoke, Out: Path.Combine(_tmp, "x")),
            new() { ["DISAGG_CLUSTER_PROFILE"] = "/no/such/profile.yaml" });
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.StartWith("render: cluster profile '/no/such/profile.yaml' not found"));
    }

    // ---- report

    [Test]
    public void Report_on_a_fixture_results_dir_writes_the_three_reports()
    {
        var dir = ReportFixture.CopyToTemp();
        try
        {
            var (code, output, error) = Run((o, e) => ReportCommand.Run(dir, "GB200", ReportFixture.GeneratedAt, o, e));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.EqualTo(ExitCodes.Ok), error);
                Assert.That(output, Does.StartWith("[disagg] report: ").And.Contain(Path.Combine(dir, "report.html")));
                foreach (var name in new[] { "report.html", "summary.md", "perf_script_test_results.csv" })
                    Assert.That(new FileInfo(Path.Combine(dir, name)).Length, Is.GreaterThan(500), name);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Report_bad_input_exit_2_and_an_empty_folder_says_so()
    {
        var missing = Path.Combine(_tmp, "missing");
        var (code, _, error) = Run((o, e) => ReportCommand.Run(missing, null, DateTimeOffset.UtcNow, o, e));
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Is.EqualTo($"report: results directory '{missing}' does not exist{Environment.NewLine}"));

        var (emptyCode, output, _) = Run((o, e) => ReportCommand.Run(_tmp, null, DateTimeOffset.UtcNow, o, e));
        Assert.That(emptyCode, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output, Does.StartWith($"report: no test results in {_tmp}"));
    }

    // ---- upload-pending

    private static async Task<(int Code, string Out, string Err)> UploadPending(string dir, Dictionary<string, string> env)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        await using var output = new StringWriter();
        await using var error = new StringWriter();
        var code = await UploadPendingCommand.RunAsync(dir, env, http, new ImmediateTime(), output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private OutboxEntry Pending(string kind, string payload) =>
        new($"{PublishingSamples.TestId}-cli-{kind}", kind, PublishingSamples.TestId, DateTimeOffset.UtcNow, 1, "earlier: HTTP 500", payload);

    [Test]
    public async Task Upload_pending_with_an_empty_outbox_does_nothing_and_exits_0()
    {
        var (code, output, error) = await UploadPending(_tmp, new() { ["UPLOAD_TO_PERFDB"] = "false" });
        Assert.That(code, Is.EqualTo(ExitCodes.Ok), error);
        Assert.That(output, Is.EqualTo($"upload-pending: nothing pending in {Path.Combine(_tmp, "outbox")}{Environment.NewLine}"));
    }

    [Test]
    public async Task Upload_pending_sends_one_pending_file_to_the_stand_in_and_empties_the_outbox()
    {
        await using var server = await StandInServer.StartAsync(new StandInOptions(), CancellationToken.None);
        var env = new Dictionary<string, string>(PublishingSamples.JenkinsPostMerge)
        {
            ["USE_POC_DB"] = "true", ["OPEN_SEARCH_DB_BASE_URL"] = server.BaseUrl.ToString(), ["UPLOAD_TO_PERFDB"] = "false",
        };
        var record = PublishingSamples.Record(env, runId: "cli-upload-pending");
        new Outbox(_tmp).Write(Pending(OutboxEntry.OpenSearch, PublishingSamples.Batch(record)));

        var (code, output, error) = await UploadPending(_tmp, env);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), output + error);
            Assert.That(output, Does.Contain("upload-pending: 1 entry in ")
                .And.Contain($"upload opensearch for {PublishingSamples.TestId}: done")
                .And.EndWith($"upload-pending: the outbox is empty{Environment.NewLine}"));
            Assert.That(output, Does.Contain("upload perfdb: skipped: UPLOAD_TO_PERFDB=false"));
            Assert.That(server.Store.Count(OpenSearchSettings.SandboxProject), Is.EqualTo(OpenSearchDocumentBuilder.Build(record).Count));
            Assert.That(new Outbox(_tmp).Pending(), Is.Empty);
        }
    }

    [Test]
    public async Task Upload_pending_keeps_what_it_cannot_send_and_exits_1()
    {
        var outbox = new Outbox(_tmp);
        outbox.Write(Pending(OutboxEntry.PerfDb, "{}"));
        var (code, output, error) = await UploadPending(_tmp, new() { ["UPLOAD_TO_PERFDB"] = "false" });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(output, Does.Contain("upload perfdb for ").And.Contain("skipped, destination not configured"));
            Assert.That(error, Does.StartWith($"upload-pending: 1 entry still pending in {outbox.Folder}"));
            Assert.That(outbox.Pending(), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task Upload_pending_bad_input_exits_2()
    {
        var missing = Path.Combine(_tmp, "missing");
        var (code, _, error) = await UploadPending(missing, []);
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.StartWith($"upload-pending: results directory '{missing}' does not exist"));

        new Outbox(_tmp).Write(Pending(OutboxEntry.PerfDb, "{}"));
        (code, _, error) = await UploadPending(_tmp, new() { ["UPLOAD_TO_PERFDB"] = "maybe" });
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error, Does.Contain("UPLOAD_TO_PERFDB='maybe' is not valid; use true (default) or false"));

    }

    [Test]
    public async Task Upload_pending_with_a_malformed_connection_string_is_bad_input_and_never_shows_it()
    {
        new Outbox(_tmp).Write(Pending(OutboxEntry.PerfDb, "{}"));
        var (code, output, error) = await UploadPending(_tmp, new() { ["DISAGG_PERFDB_CONNECTION"] = "Host=db;Password=Pl4nted;=;==garbage" });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(error, Does.StartWith("upload-pending: DISAGG_PERFDB_CONNECTION is not a valid Npgsql connection string ("));
            Assert.That(error + output, Does.Not.Contain("Pl4nted").And.Not.Contain("   at "));
        }
    }

    [Test]
    public async Task Upload_pending_quarantines_a_garbage_file_and_exits_1()
    {
        new Outbox(_tmp).Write(Pending(OutboxEntry.PerfDb, "{}"));
        File.WriteAllText(Path.Combine(_tmp, "outbox", "garbage.json"), "not json");
        var (code, _, error) = await UploadPending(_tmp, new() { ["UPLOAD_TO_PERFDB"] = "false" });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error, Does.Contain("outbox file garbage.json cannot be read as an outbox entry")
                .And.Contain(Path.Combine("outbox", "quarantine", "garbage.json")));
            Assert.That(File.Exists(Path.Combine(_tmp, "outbox", "quarantine", "garbage.json.reason.txt")));
            Assert.That(new Outbox(_tmp).Pending(), Has.Count.EqualTo(1), "the valid entry stays pending (the Perf DB is off)");
        }
    }

    // ---- reevaluate

    /// <summary>
    /// The fixture smoke config reshaped for the sample job (2 GEN servers, concurrency 8 and 32, multi_round 8, gen
    /// batch 64) with given thresholds.
    /// </summary>
    private string SampleConfig(string thresholds)
    {
        var text = File.ReadAllText(Smoke);
        text = text.Replace("  num_gen_servers: 1", "  num_gen_servers: 2", StringComparison.Ordinal)
            .Replace("max_batch_size: 16", "max_batch_size: 64", StringComparison.Ordinal);
        text = System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^  concurrency_list: .*$", "  concurrency_list: '8 32'");
        text = System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^  multi_round: .*$", "  multi_round: 8");
        text = System.Text.RegularExpressions.Regex.Replace(text, @"(?ms)^thresholds:.*?(?=^\S|\z)", "");
        text += "\nthresholds:\n" + thresholds;
        var path = Path.Combine(_tmp, "sample.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static string SampleJob => FixturePaths.Fixture("jobs", "sample-e2e");

    [Test]
    public void Reevaluate_the_sample_job_passes_with_honest_bounds()
    {
        var config = SampleConfig("  - \"median_ttft_ms <= 500\"\n  - \"output_token_throughput >= 1000\"\n");
        var (code, output, error) = Run((o, e) => ReevaluateCommand.Run(SampleJob, config, o, e));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), output + error);
            Assert.That(output, Does.Contain("concurrency 16: ").And.Contain("concurrency 64: "));
            Assert.That(output, Does.EndWith($"sample-e2e: all perf checks passed{Environment.NewLine}"));
        }
    }

    [Test]
    public void Reevaluate_with_tight_bounds_lists_the_failures_and_exits_1()
    {
        var config = SampleConfig("  - \"median_ttft_ms <= 350\"\n  - \"output_token_throughput >= 2000\"\n");
        var (code, output, _) = Run((o, e) => ReevaluateCommand.Run(SampleJob, config, o, e));
        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(output, Does.Contain("median_ttft_ms").And.Contain("output_token_throughput"));
    }

    [Test]
    public void Reevaluate_bad_input_exits_2_naming_the_problem()
    {
        var config = SampleConfig("  []\n");
        var missing = Path.Combine(_tmp, "nojob");
        var cases = new (string Dir, string Config, string Expected)[]
        {
            (missing, config, $"reevaluate: job folder '{missing}' does not exist"),
            (SampleJob, Path.Combine(_tmp, "none.yaml"), $"reevaluate: config '{Path.Combine(_tmp, "none.yaml")}' not found"),
            (_tmp, config, $"reevaluate: no benchmark.log or 6_bench.log in {_tmp}"),
            (SampleJob, FixturePaths.Fixture("jobs", "sample-e2e", "benchmark.log"), FixturePaths.Fixture("jobs", "sample-e2e", "benchmark.log") + ":"),
        };
        foreach (var (dir, file, expected) in cases)
        {
            var (code, _, error) = Run((o, e) => ReevaluateCommand.Run(dir, file, o, e));
            Assert.That(code, Is.EqualTo(ExitCodes.BadInput), expected);
            Assert.That(error, Does.StartWith(expected));
        }
    }
}
