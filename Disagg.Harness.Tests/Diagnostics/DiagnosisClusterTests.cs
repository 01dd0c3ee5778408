using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;
using Disagg.Harness.Diagnostics;
using Disagg.Harness.Execution;
using Disagg.Harness.Pipeline;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Diagnostics;

/// <summary>
/// The package on the real local cluster: a crash, a TIMEOUT, a rejected submission and planted secrets. Each
/// case is one real job (the TIMEOUT one lasts 60-90 s by design), so keep them few.
/// </summary>
[RequiresCluster(Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed class DiagnosisClusterTests
{
    private const string Secret = "sekret123";
    private const string SecretName = "OPEN_SEARCH_DB_CREDENTIALS_PSW";
    private RunContext _context = null!;

    [OneTimeSetUp]
    public void CreateContext()
    {
        var repo = FixturePaths.RepoRoot;
        var results = Directory.CreateTempSubdirectory("disagg-diag-").FullName;
        var settings = new RunSettings(repo, Path.Combine(repo, "configs"), "", Path.Combine(repo, "clusters", "local.yaml"), results, TimeSpan.FromMinutes(5));
        // Fake credentials in the runner's environment (sbatch exports it to the job) and in the profile's job_env.
        Environment.SetEnvironmentVariable(SecretName, Secret);
        var profile = ClusterProfileLoader.Load(settings.ClusterProfile, repo);
        profile = profile with { JobEnv = new Dictionary<string, string>(profile.JobEnv) { ["PERF_DB_TOKEN"] = "tok-" + Secret } };
        _context = new RunContext(settings, profile, new LocalCommandRunner(), new LocalClusterFiles(), TimeProvider.System);
    }

    [OneTimeTearDown]
    public async Task DisposeContext()
    {
        Environment.SetEnvironmentVariable(SecretName, null);
        await _context.DisposeAsync();
    }

    private static DisaggConfig Smoke(string ctxEnv = "", string jobTime = "00:10:00", string gres = "gpu:4")
    {
        var text = File.ReadAllText(FixturePaths.Fixture("configs", "smoke.yaml"))
            .Replace("job_time: \"00:10:00\"", $"job_time: \"{jobTime}\"", StringComparison.Ordinal)
            .Replace("--gres=gpu:4", "--gres=" + gres, StringComparison.Ordinal);
        if (ctxEnv.Length > 0)
            text = text.Replace("  server_env_var:", $"  ctx_worker_env_var: \"{ctxEnv}\"\n  server_env_var:", StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"disagg-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        return ConfigLoader.Load(path);
    }

    private async Task<(JudgedRun Result, TestRunResult Full, string? Archive)> RunAsync(DisaggConfig config, string id, CancellationToken token)
    {
        var full = await Pipelines.RunFullAsync(_context, config, id, line => TestContext.Progress.WriteLine($"  [{id}] {line}"), token);
        return (full.Run, full, full.DiagnosisArchive);
    }

    private static string FirstErrorLine(string summary) =>
        summary[summary.IndexOf("== first errors", StringComparison.Ordinal)..].Split('\n')[1];

    [Test, CancelAfter(120_000)]
    public async Task Worker_crash_leaves_a_package_the_job_wrote_naming_the_crashed_log_and_its_RuntimeError(CancellationToken token)
    {
        var (result, _, archive) = await RunAsync(Smoke("SIM_FAULT=crash_on_start"), "diag_crash", token);
        Assert.That(archive, Is.Not.Null);
        var entries = ArchiveContents.Read(archive!);
        var summary = entries.Text(JobFiles.DiagnosisSummary);
        TestContext.Out.WriteLine(string.Join("\n", entries.Select(e => e.Name)));
        TestContext.Out.WriteLine(summary);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Path.GetFileName(archive), Does.Match($@"^job_{result.JobId}_failure_\d{{8}}\.tar\.gz$"));
            Assert.That(result.Outcome?.State, Is.EqualTo("FAILED"), "the job ended itself (exit 1) after packaging, instead of being cancelled");
            Assert.That(summary, Does.Contain("packaged by:  the job itself"));
            Assert.That(FirstErrorLine(summary), Does.StartWith("ctx_server_0.log:"));
            var firstBlock = summary[summary.IndexOf("== first errors", StringComparison.Ordinal)..].Split("\n\n")[0];
            Assert.That(firstBlock.Split('\n')
                .TakeWhile(l => !l.StartsWith("gen_", StringComparison.Ordinal) && !l.StartsWith("slurm-", StringComparison.Ordinal)),
                Has.Some.Contains("RuntimeError"));
            Assert.That(summary, Does.Contain("error:        ctx_server_0 exited with code"));
            Assert.That(entries.Select(e => e.Name),
                Is.SupersetOf(new[] { "ctx_server_0.log", JobFiles.NvidiaSmi, JobFiles.Processes, JobFiles.DiskUsage, JobFiles.BatchScript }));
            foreach (var (name, text) in entries) Assert.That(text, Does.Not.Contain(Secret), $"secret in {name}");
        }
    }

    [Test, CancelAfter(240_000)]
    public async Task Timeout_job_packages_itself_at_the_warning_before_SLURM_kills_it(CancellationToken token)
    {
        var config = Smoke("SIM_FAULT=hang_on_start", jobTime: "00:01:00");
        var (result, _, archive) = await RunAsync(config, "diag_timeout", token);
        var sbatch = await File.ReadAllTextAsync(Path.Combine(result.Workspace, JobFiles.BatchScript), token);
        Assert.That(archive, Is.Not.Null);
        var summary = ArchiveContents.Read(archive!).Text(JobFiles.DiagnosisSummary);
        TestContext.Out.WriteLine(summary);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sbatch, Does.Contain("#SBATCH --signal=B:USR1@30"), "half of a 1-minute limit");
            Assert.That(result.Outcome?.State, Is.EqualTo("TIMEOUT"));
            Assert.That(summary, Does.Contain("packaged by:  the job itself"));
            Assert.That(summary, Does.Contain("time limit:   SLURM's time-limit warning (SIGUSR1)"));
            Assert.That(result.Phases.Select(p => p.Phase), Has.Some.StartsWith("packaged job_"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Rejected_submission_gets_a_package_the_runner_built(CancellationToken token)
    {
        var (result, full, archive) = await RunAsync(Smoke(gres: "gpu:64"), "diag_rejected", token);
        Assert.That(full.FailedStage?.Stage, Is.EqualTo(PipelineStage.Submit), "a rejected submission is a failed submit stage, not an exception");
        Assert.That(result.Problems, Has.Some.StartsWith("submission rejected, no job was started"));
        Assert.That(archive, Is.Not.Null);
        var entries = ArchiveContents.Read(archive!);
        var summary = entries.Text(JobFiles.DiagnosisSummary);
        TestContext.Out.WriteLine(summary);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Path.GetFileName(archive), Does.Match(@"^job_unsubmitted_failure_\d{8}\.tar\.gz$"));
            Assert.That(entries[0].Name, Is.EqualTo(JobFiles.DiagnosisSummary));
            Assert.That(summary, Does.Contain("packaged by:  the runner on"));
            Assert.That(summary, Does.Contain("final state:  never submitted"));
            Assert.That(summary, Does.Contain("submission rejected").And.Contain("sbatch --parsable"));
            Assert.That(entries.Select(e => e.Name), Is.SupersetOf(new[]
            {
                JobFiles.BatchScript, JobFiles.RunnerLog, JobFiles.SlurmState, JobFiles.NvidiaSmi, JobFiles.Processes, JobFiles.DiskUsage
            }));
            foreach (var (name, text) in entries)
            {
                Assert.That(text, Does.Not.Contain(Secret), $"secret in {name}");
            }
            Assert.That(entries.Text(JobFiles.BatchScript), Does.Contain("export PERF_DB_TOKEN=" + SecretFilter.Redacted));
        }
    }
}
