using System.Diagnostics;
using System.Xml.Linq;
using Disagg.Harness.Reporting;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Scripts;

/// <summary>
/// A real run through run_disagg_test.sh on the local cluster, as a GitLab job would run it (CI_PROJECT_DIR set, results
/// under it): one passing, one failing (threshold) and one waived test. The JUnit must pass the Jenkins xUnit plugin's
/// junit-10.xsd with relative, existing attachments and the waiver URL; the TRX must pass vstst.xsd with ResultFiles.
/// </summary>
[Category("cluster")]
[RequiresCluster(Needs.Slurm)]
public sealed class CiReportsOnClusterTests
{
    private const string WaiverUrl = "https://nvbugs/5551234";
    private string _project = "";
    private string _results = "";
    private string _output = "";
    private int _code;

    private static string Id(string backend) => $"disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-{backend}";

    [OneTimeSetUp]
    public async Task RunThreeTests()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        _project = Directory.CreateTempSubdirectory("disagg-ci-project-").FullName;
        var configs = Path.Combine(_project, "configs", "disagg", "perf");
        Directory.CreateDirectory(configs);
        var smoke = File.ReadAllText(Path.Combine(FixturePaths.RepoRoot, "configs", "disagg", "perf", Id("UCX")["disagg_perf_".Length..] + ".yaml"));
        File.WriteAllText(Path.Combine(configs, Id("UCX")["disagg_perf_".Length..] + ".yaml"), smoke);
        File.WriteAllText(Path.Combine(configs, Id("NIXL")["disagg_perf_".Length..] + ".yaml"),
            smoke.Replace("backend: UCX", "backend: NIXL", StringComparison.Ordinal)
                .Replace("\"median_ttft_ms <= 2000\"", "\"median_ttft_ms <= 0.01\"", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(configs, Id("MPI")["disagg_perf_".Length..] + ".yaml"),
            smoke.Replace("backend: UCX", "backend: MPI", StringComparison.Ordinal));
        var list = Path.Combine(_project, "list.txt");
        File.WriteAllText(list, $"{Id("UCX")}\n{Id("NIXL")}\n{Id("MPI")} SKIP ({WaiverUrl})\n");
        _results = Path.Combine(_project, "results", "pipeline-7");

        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(FixturePaths.RepoRoot, "run_disagg_test.sh"), "--test-list", list, "--results-dir", _results })
            info.ArgumentList.Add(a);
        info.Environment["DISAGG_SKIP_BUILD"] = "1";
        info.Environment["DISAGG_CONFIG_ROOT"] = Path.Combine(_project, "configs");
        info.Environment["CI_PROJECT_DIR"] = _project;
        info.Environment["UPLOAD_TO_PERFDB"] = "false";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        _code = process.ExitCode;
        _output = await stdout + await stderr;
    }

    [OneTimeTearDown]
    public void Remove()
    {
        if (Directory.Exists(_project)) Directory.Delete(_project, recursive: true);
    }

    private XDocument Junit() => XDocument.Load(Path.Combine(_results, JunitReport.FileName));

    private XElement Case(string backend) => Junit().Descendants("testcase").Single(c => JunitReport.TestId((string)c.Attribute("name")!) == Id(backend));

    [Test]
    public void The_run_fails_for_the_threshold_and_counts_each_outcome_once()
    {
        Assert.That(_code, Is.Not.Zero, _output);
        Assert.That(_output, Does.Contain("Tests: 1 passed, 1 failed, 1 skipped"));
    }

    [Test]
    public void Junit_validates_against_junit_10_xsd()
    {
        var text = File.ReadAllText(Path.Combine(_results, JunitReport.FileName));
        Assert.That(ReportSchemas.Validate(text, ReportSchemas.Junit), Is.Empty, _output);
    }

    [Test]
    public void Every_attachment_is_relative_and_exists_from_the_project_folder_with_the_archive_first()
    {
        var all = Junit().Descendants("testcase").SelectMany(ReportSchemas.Attachments).ToList();
        var failed = ReportSchemas.Attachments(Case("NIXL"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(all, Is.Not.Empty);
            Assert.That(all, Has.All.StartWith("results/pipeline-7/"));
            Assert.That(all.Where(p => !File.Exists(Path.Combine(_project, p))), Is.Empty, "attachments that do not exist under CI_PROJECT_DIR");
            Assert.That(failed, Is.Not.Empty);
            Assert.That(failed[0], Does.Match(@"/job_\d+_failure_\d{8}\.tar\.gz$"), "GitLab opens only the first attachment of a failed test");
        }
    }

    [Test]
    public void Waived_test_carries_its_url_and_failure_keeps_its_table()
    {
        var message = (string)Case("NIXL").Element("failure")!.Attribute("message")!;
        Assert.That((string?)Case("MPI").Element("skipped")?.Attribute("message"), Is.EqualTo(WaiverUrl));
        Assert.That(message, Does.Match(@"median_ttft_ms +1 +[0-9.]+ ms +<= 0\.01 ms .*rule 'median_ttft_ms <= 0\.01' from .*NIXL\.yaml:\d+"));
    }

    [Test]
    public void Trx_validates_against_vstst_xsd_and_lists_the_archive_in_result_files()
    {
        var text = File.ReadAllText(Path.Combine(_results, "disagg-perf.trx"));
        Assert.That(ReportSchemas.Validate(text, ReportSchemas.Trx), Is.Empty);
        Assert.That(text, Does.Match(@"<ResultFile path=""[^""]*job_\d+_failure_\d{8}\.tar\.gz"" />"));
    }
}
