using Disagg.Harness.Cluster;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Cli;

/// <summary>run_disagg_test.sh: --dry-run renders every selected job and submits nothing; flags and verbs.</summary>
[NonParallelizable]
public sealed class DryRunScriptTests
{
    private static async Task<(int Code, string Out, string Err)> BashAsync(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var command = TestProcesses.RunDisaggTestScript(args).WithEnvironmentVariables(env).WithTimeout(TimeSpan.FromMinutes(5));
        var result = await TestProcesses.RunAsync(command, CancellationToken.None);
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }

    [RequiresCluster(Needs.Slurm)]
    [Test, Category("cluster"), CancelAfter(300_000)]
    public async Task Dry_run_renders_the_smoke_job_and_submits_nothing()
    {
        var tests = Path.Combine(FixturePaths.RepoRoot, "Disagg.Tests", "bin", "Debug", "net10.0", "Disagg.Tests.dll");
        if (!File.Exists(tests)) Assert.Ignore($"{tests} is not built; run dotnet build Disagg.sln");
        var results = Directory.CreateTempSubdirectory("disagg-dryrun-").FullName;
        var runId = "cli-dry-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var (code, output, error) = await BashAsync(new Dictionary<string, string> { ["DISAGG_RUN_ID"] = runId },
                "--no-build", "--dry-run", "--test-list", "test-lists/local-smoke.txt", "--results-dir", results);
            const string id = "disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX";
            var job = Path.Combine(results, id);
            var squeue = await new LocalCommandRunner().RunAsync(Command.Of("squeue", "-h", "-t", "all", "-o", "%i|%k"), CancellationToken.None);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.Zero, output + error);
                Assert.That(output, Does.Contain("dry run: render only, nothing is submitted"));
                Assert.That(output, Does.Contain($"  {Path.Combine(job, JobFiles.BatchScript)}"));
                foreach (var name in new[] { JobFiles.BatchScript, JobFiles.BenchmarkScript, JobFiles.CtxConfig, JobFiles.GenConfig,
                    JobFiles.JobMetadata, "start_ctx_server_0.sh", "start_gen_server_0.sh" })
                    Assert.That(File.Exists(Path.Combine(job, name)), name);
                Assert.That(File.ReadAllText(Path.Combine(job, JobFiles.BatchScript)), Does.Contain($"--comment=disagg-run={runId}"));
                Assert.That(Directory.GetFiles(job, "slurm-*"), Is.Empty, "no job wrote output");
                Assert.That(squeue.ExitCode, Is.Zero, squeue.StandardError);
                Assert.That(squeue.StandardOutput, Does.Not.Contain(runId), "no job of the dry run reached SLURM");
                Assert.That(File.Exists(Path.Combine(results, "disagg-perf.trx")), "the dry run still reports its tests");
            }
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [TestCase("--config", "x", "Did you mean '--test-list'?")]
    [TestCase("--dry-rn", null, "Did you mean '--dry-run'?")]
    [TestCase("--no-bild", null, "Did you mean '--no-build'?")]
    [TestCase("--result-dir", "x", "Did you mean '--results-dir'?")]
    public async Task Unknown_flags_suggest_the_nearest_valid_flag(string flag, string? value, string expected)
    {
        var (code, _, error) = await BashAsync(new Dictionary<string, string>(), value is null ? [flag] : [flag, value]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith($"run_disagg_test.sh: unknown option '{flag}'. {expected}"));
    }

    [Test]
    public async Task Verbs_are_forwarded_to_the_cli_and_unknown_words_are_an_error()
    {
        var (code, output, error) = await BashAsync(new Dictionary<string, string>(), "--no-build", "validate", "configs", "test-lists");
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.EndWith($"4 file(s) checked: 0 error(s), 0 warning(s){Environment.NewLine}"));

        (code, _, error) = await BashAsync(new Dictionary<string, string>(), "--no-build", "cancel", " ");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("cancel: the run id ' ' is empty"));

        (code, _, error) = await BashAsync(new Dictionary<string, string>(), "valdate");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error,
            Does.StartWith("run_disagg_test.sh: unknown command 'valdate'; verbs: validate list render report junit upload-pending cancel reevaluate " +
                           "trend pareto compare nodes baseline."));
    }
}
