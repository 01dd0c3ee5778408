using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Scripts;

/// <summary>run_disagg_test.sh as CI and users call it: flag errors, and the exit code of a failing run.</summary>
public sealed class RunDisaggTestScriptTests
{
    private static async Task<(int Code, string Output)> RunAsync(IReadOnlyDictionary<string, string> env, CancellationToken token, params string[] args)
    {
        var result = await TestProcesses.RunAsync(TestProcesses.RunDisaggTestScript(args).WithEnvironmentVariables(env), token);
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }

    [TestCase("--config", "--test-list")]
    [TestCase("--config-yaml", "--test-list")]
    [TestCase("--test-lst", "--test-list")]
    [TestCase("--resuls-dir", "--results-dir")]
    [TestCase("--log-dir", "--results-dir")]
    [TestCase("--filtr", "--filter")]
    [TestCase("--max-job", "--max-jobs")]
    [CancelAfter(30_000)]
    public async Task Unknown_flag_names_the_nearest_valid_one(string flag, string suggestion, CancellationToken token)
    {
        var (code, output) = await RunAsync(new Dictionary<string, string>(), token, flag, "x");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(output, Does.Contain($"unknown option '{flag}'. Did you mean '{suggestion}'?"));
            Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
        }
    }

    [TestCase("--test-list=")]
    [TestCase("--filter=")]
    [TestCase("--results-dir=")]
    [TestCase("--cluster-profile=")]
    [TestCase("--max-jobs=")]
    [CancelAfter(30_000)]
    public async Task An_empty_equals_value_is_an_error_not_the_default(string flag, CancellationToken token)
    {
        var (code, output) = await RunAsync(new Dictionary<string, string>(), token, flag, "--no-build");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(output, Does.Contain($"option '{flag.TrimEnd('=')}' needs a value (got '{flag}')"));
            Assert.That(output, Does.Not.Contain("[disagg] test list"), "nothing may run");
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Help_lists_every_flag(CancellationToken token)
    {
        var (code, output) = await RunAsync(new Dictionary<string, string>(), token, "--help");
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("--test-list").And.Contain("--filter").And.Contain("--results-dir").And.Contain("--local"));
    }

    [RequiresCluster(Needs.Slurm)]
    [Test, Category("cluster"), CancelAfter(240_000)]
    public async Task An_impossible_threshold_fails_the_run_with_metric_concurrency_value_and_bound(CancellationToken token)
    {
        var root = Directory.CreateTempSubdirectory("disagg-script-").FullName;
        var configs = Path.Combine(root, "configs", "disagg", "perf");
        Directory.CreateDirectory(configs);
        var text = TestConfigs.SmokeText();
        var start = text.IndexOf("thresholds:", StringComparison.Ordinal);
        var end = text.IndexOf("worker_config:", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(configs, "smoke.yaml"),
            text[..start] + "thresholds:\n  - \"output_token_throughput >= 1000000 at c=4\"\n" + text[end..]);
        var list = Path.Combine(root, "list.txt");
        File.WriteAllText(list, "disagg_perf_smoke\n");
        var results = Path.Combine(root, "results");

        const string secret = "sekret-Zq81-do-not-leak";
        var (code, output) = await RunAsync(new Dictionary<string, string>
            {
                ["DISAGG_CONFIG_ROOT"] = Path.Combine(root, "configs"),
                ["UPLOAD_TO_PERFDB"] = "false",
                // Planted credentials: they reach the job's environment (sbatch exports it) but no report or archive.
                ["OPEN_SEARCH_DB_CREDENTIALS_PSW"] = secret,
                ["PERF_DB_TOKEN"] = secret,
            },
            token, "--test-list", list, "--results-dir", results);
        var leaks = LeakingFiles(results, secret).ToList();

        var trx = File.ReadAllText(Path.Combine(results, "disagg-perf.trx"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Not.Zero, output);
            Assert.That(output, Does.Contain("Tests: 0 passed, 1 failed"));
            // The failure message's table row: metric, concurrency, value, bound.
            Assert.That(trx, Does.Match(@"output_token_throughput +4 +[0-9.]+ tok/s +&gt;= 1000000 tok/s"));
            Assert.That(File.Exists(Path.Combine(results, "disagg-perf.junit.xml")), Is.True);
            Assert.That(Directory.GetFiles(results, "job_*_failure_*.tar.gz", SearchOption.AllDirectories),
                Is.Not.Empty, "the failed test leaves a diagnosis archive");
            Assert.That(trx, Does.Match(@"<ResultFile path=""[^""]*job_[^""]*_failure_\d{8}\.tar\.gz"""), "TRX ResultFiles reference the archive (Jenkins)");
            Assert.That(File.ReadAllText(Path.Combine(results, "disagg-perf.junit.xml")),
                Does.Match(@"\[\[ATTACHMENT\|[^\]]*job_[^\]]*_failure_\d{8}\.tar\.gz\]\]"), "JUnit references the archive (GitLab)");
            Assert.That(leaks, Is.Empty, "files holding the planted secret (TRX, JUnit, logs, archives)");
        }
    }

    /// <summary>Every file under the results folder, archives opened, that contains the text.</summary>
    private static IEnumerable<string> LeakingFiles(string dir, string secret)
    {
        foreach (var file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".tar.gz", StringComparison.Ordinal))
            {
                foreach (var (name, text) in Diagnostics.ArchiveContents.Read(file))
                    if (text.Contains(secret, StringComparison.Ordinal)) yield return $"{file}!{name}";
            }
            else if (File.ReadAllText(file).Contains(secret, StringComparison.Ordinal))
            {
                yield return file;
            }
        }
    }
}
