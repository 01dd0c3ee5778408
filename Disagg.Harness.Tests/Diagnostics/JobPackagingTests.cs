using System.Diagnostics;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Diagnostics;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Diagnostics;

/// <summary>
/// The job half of the package, run by plain bash on a fake workspace (no SLURM): the functions every
/// rendered job carries must package before they stop anything, and must leave no secret in the archive.
/// </summary>
public sealed class JobPackagingTests
{
    private const string Secret = "sekret123";
    private string _workspace = null!;

    [SetUp]
    public void CreateWorkspace()
    {
        _workspace = Directory.CreateTempSubdirectory("disagg-jobpkg-").FullName;
        Write("ctx_server_0.log", "SLURM_PROCID: 0, hostname: node1, instance_id: 0\nloading model\nTraceback (most recent call last):\n"
            + "  File \"worker.py\", line 3, in <module>\nRuntimeError: simulated crash on start (SIM_FAULT=crash_on_start)\n");
        Write("gen_server_0.log", "SLURM_PROCID: 0\nready\n");
        Write("disagg_server.log", "waiting for workers\n");
        Write(JobFiles.Phases, "1700000000.123 allocated node1 (job 4242)\n1700000001.5 started ctx_0\n");
        Write("concurrency_1/client.log", "c=1\n");
        Write(JobFiles.BatchScript, $"#!/bin/bash\nexport OPEN_SEARCH_DB_CREDENTIALS_PSW={Secret}\nexport MY_API_TOKEN='other value 42'\n");
        Write(JobFiles.CtxConfig, "max_num_tokens: 4096\nkv_cache_config:\n  enable_block_reuse: false\n");
        Write("slurm-4242.err", "Error: ctx_0 exited with code 1; see ctx_server_0.log\n");
        Write("job_4242_failure_19990101.tar.gz", "an older archive must not be packaged again");
    }

    [TearDown]
    public void RemoveWorkspace() => Directory.Delete(_workspace, recursive: true);

    private void Write(string name, string text)
    {
        var path = Path.Combine(_workspace, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private (int ExitCode, string Output) RunBash(string body, params (string Name, string? Value)[] env)
    {
        var script = $"WORKSPACE='{_workspace}'\ncd \"$WORKSPACE\"\n{JobFunctions.Text(JobFiles.Phases)}\n{body}\n";
        var command = Command.Of("bash", "-c", script).WithTimeout(TimeSpan.FromSeconds(60))
            .WithEnvironmentVariables(("SLURM_JOB_ID", "4242"), ("SLURM_JOB_NAME", "disagg-smoke"), ("SLURM_JOB_NODELIST", "node1"))
            .WithEnvironmentVariables(("OPEN_SEARCH_DB_CREDENTIALS_PSW", Secret))
            .WithEnvironmentVariables(env);
        var result = TestProcesses.Run(command);
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }

    private string Archive(string status) =>
        Path.Combine(_workspace, JobFiles.DiagnosisArchive("4242", status, DateOnly.FromDateTime(DateTime.UtcNow)));

    [Test]
    public void Fail_packages_the_workspace_before_stopping_steps_and_exits_non_zero()
    {
        // A live step: fail must package while it still runs (processes.txt shows it), then stop it.
        var (code, output) = RunBash("""
            sleep 300 & STEP_PIDS+=($!); STEP_NAMES+=(ctx_0); STEP_LOGS+=(ctx_server_0.log)
            STEP_NAMES+=(gen_0); STEP_LOGS+=(gen_server_0.log); STEP_NAMES+=(disagg_server); STEP_LOGS+=(disagg_server.log)
            cleanup_on_failure "ctx_0 exited with code 1; see ctx_server_0.log"
            """);
        Assert.That(code, Is.EqualTo(1), output);
        var entries = ArchiveContents.Read(Archive("failure"));
        var names = entries.Select(e => e.Name).ToList();
        var summary = entries.Text(JobFiles.DiagnosisSummary);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(output, Does.Contain("Error: ctx_0 exited with code 1"));
            Assert.That(names[0], Is.EqualTo(JobFiles.DiagnosisSummary), "summary.txt comes first");
            Assert.That(names, Is.SupersetOf(new[]
            {
                "ctx_server_0.log", "gen_server_0.log", "disagg_server.log", "concurrency_1/client.log", "slurm-4242.err", JobFiles.Phases,
                JobFiles.BatchScript, JobFiles.CtxConfig, JobFiles.NvidiaSmi, JobFiles.Processes, JobFiles.DiskUsage,
                JobFiles.FilteredEnvironment, JobFiles.SlurmState,
            }));
            Assert.That(names, Has.None.EndsWith(".tar.gz"));
            Assert.That(entries.Text(JobFiles.Processes), Does.Contain("sleep 300"), "packaged while the step still ran");
            Assert.That(entries.Text(JobFiles.NvidiaSmi), Is.Not.Empty);
            var firstError = summary[summary.IndexOf("== first errors", StringComparison.Ordinal)..].Split('\n')[1];
            Assert.That(firstError, Is.EqualTo("ctx_server_0.log:3: python traceback"));
            Assert.That(summary, Does.Contain("    RuntimeError: simulated crash on start"));
            Assert.That(summary, Does.Contain("error:        ctx_0 exited with code 1; see ctx_server_0.log"));
            Assert.That(summary, Does.Contain("open next:    ctx_server_0.log"));
            Assert.That(summary, Does.Contain("allocated node1 (job 4242)"));
            Assert.That(summary, Does.Contain("  nvidia_smi.txt"));
            Assert.That(entries.Text(JobFiles.CtxConfig), Does.Contain("max_num_tokens: 4096"), "config keys that merely contain 'token' stay");
            Assert.That(File.Exists(Path.Combine(_workspace, "ctx_server_0.log")), Is.True, "logs are never deleted");
        }
    }

    [Test]
    public void Archive_holds_no_secret_from_the_environment_or_the_rendered_script()
    {
        RunBash("""STEP_LOGS+=(ctx_server_0.log); echo "worker env dump: OPEN_SEARCH_DB_CREDENTIALS_PSW=$OPEN_SEARCH_DB_CREDENTIALS_PSW and $MY_API_TOKEN" """
            + """>> ctx_server_0.log; fail boom""",
            ("MY_API_TOKEN", "other value 42"));
        var entries = ArchiveContents.Read(Archive("failure"));
        using (Assert.EnterMultipleScope())
        {
            foreach (var (name, text) in entries)
            {
                Assert.That(text, Does.Not.Contain(Secret), name);
                Assert.That(text, Does.Not.Contain("other value 42"), name);
            }
            Assert.That(entries.Text(JobFiles.FilteredEnvironment), Does.Contain("OPEN_SEARCH_DB_CREDENTIALS_PSW=" + SecretFilter.Redacted));
            Assert.That(entries.Text(JobFiles.FilteredEnvironment), Does.Contain("SLURM_JOB_ID=4242"));
            Assert.That(entries.Text(JobFiles.BatchScript), Does.Contain("export OPEN_SEARCH_DB_CREDENTIALS_PSW=" + SecretFilter.Redacted));
        }
    }

    [Test]
    public void Success_is_packaged_only_when_the_profile_asks()
    {
        Assert.That(RunBash("finish").ExitCode, Is.Zero);
        Assert.That(File.Exists(Archive("success")), Is.False, "off by default");
        Assert.That(RunBash("finish", (PackagingFunctions.PackageOnSuccessVariable, "1")).ExitCode, Is.Zero);
        Assert.That(ArchiveContents.Read(Archive("success"))[0].Name, Is.EqualTo(JobFiles.DiagnosisSummary));
    }

    [Test]
    public void Time_limit_warning_packages_and_lets_the_job_run_on()
    {
        var (code, output) = RunBash("""
            STEP_LOGS+=(ctx_server_0.log)
            kill -USR1 $$
            sleep 1 & wait $!
            echo "still running after the warning"
            exit 0
            """);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("still running after the warning"));
        var summary = ArchiveContents.Read(Archive("failure")).Text(JobFiles.DiagnosisSummary);
        Assert.That(summary, Does.Contain("time limit:   SLURM's time-limit warning (SIGUSR1)"));
    }

    [TestCase("00:01:00", 30)]
    [TestCase("00:03:00", 90)]
    [TestCase("00:10:00", 120)]
    [TestCase("2-00:00:00", 120)]
    public void Warning_lead_is_two_minutes_or_half_a_short_limit(string limit, int seconds)
    {
        Assert.That(Disagg.Harness.Configuration.JobTime.TryParse(limit, out var value), Is.True);
        Assert.That(PackagingFunctions.WarningLeadSeconds(value), Is.EqualTo(seconds));
    }
}
