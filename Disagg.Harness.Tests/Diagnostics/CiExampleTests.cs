using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Tests.Diagnostics;

/// <summary>The CI examples users copy must archive what the runner writes: the reports and every diagnosis package.</summary>
public sealed class CiExampleTests
{
    private static string Example(string name) => Path.Combine(FixturePaths.RepoRoot, "examples", "ci", name);
    private static readonly string Script = File.ReadAllText(Path.Combine(FixturePaths.RepoRoot, "run_disagg_test.sh"));

    [Test]
    public void GitLab_job_runs_the_tests_and_keeps_reports_and_packages()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Example("gitlab-ci.yml"))) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var job = (YamlMappingNode)root.Children[new YamlScalarNode("disagg-perf")];
        string[] Seq(YamlMappingNode node, string key) => ((YamlSequenceNode)node.Children[new YamlScalarNode(key)]).Children.Select(c => ((YamlScalarNode)c).Value!).ToArray();
        var artifacts = (YamlMappingNode)job.Children[new YamlScalarNode("artifacts")];
        var paths = Seq(artifacts, "paths");
        var junit = ((YamlScalarNode)((YamlMappingNode)artifacts.Children[new YamlScalarNode("reports")]).Children[new YamlScalarNode("junit")]).Value;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Seq(job, "script"), Has.Some.StartsWith("./run_disagg_test.sh --test-list"));
            Assert.That(((YamlScalarNode)artifacts.Children[new YamlScalarNode("when")]).Value, Is.EqualTo("always"), "failures are when packages matter");
            Assert.That(paths, Does.Contain("$RESULTS_DIR/" + JobFiles.DiagnosisArchiveGlob));
            Assert.That(paths, Does.Contain("$RESULTS_DIR/report.html"));
            Assert.That(junit, Is.EqualTo("$RESULTS_DIR/" + JunitName()));
            Assert.That(paths, Does.Contain("$RESULTS_DIR/" + TrxName()));
            Assert.That(Seq(job, "after_script"), Has.Some.Contains("run_disagg_test.sh --no-build cancel \"$DISAGG_RUN_ID\"").And.Some.Contains("upload-pending"));
        }
    }

    [Test]
    public void Jenkinsfile_runs_the_tests_publishes_junit_and_archives_packages()
    {
        var text = File.ReadAllText(Example("Jenkinsfile"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text.Count(c => c == '{'), Is.EqualTo(text.Count(c => c == '}')), "balanced braces");
            Assert.That(text, Does.Contain("sh './run_disagg_test.sh --test-list"));
            Assert.That(text, Does.Match(@"post \{\s*always \{"), "reports and packages are kept for failed builds too");
            Assert.That(text, Does.Contain($"junit allowEmptyResults: true, testResults: \"${{env.RESULTS_DIR}}/{JunitName()}\""));
            Assert.That(text, Does.Contain($"${{env.RESULTS_DIR}}/{JobFiles.DiagnosisArchiveGlob}"));
            Assert.That(text, Does.Contain($"${{env.RESULTS_DIR}}/{TrxName()}"));
        }
    }

    [Test]
    public void Package_glob_matches_the_names_job_and_runner_write()
    {
        var glob = JobFiles.DiagnosisArchiveGlob["**/".Length..];
        var pattern = "^" + System.Text.RegularExpressions.Regex.Escape(glob).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.That(JobFiles.DiagnosisArchive("4242", "failure", today), Does.Match(pattern));
        Assert.That(JobFiles.DiagnosisArchive(Harness.Diagnostics.DiagnosisPackager.Unsubmitted, "failure", today), Does.Match(pattern));
        Assert.That(PackagingFunctions.Text(JobFiles.Phases), Does.Contain("name=\"job_${SLURM_JOB_ID:-0}_${status}_$(date -u +%Y%m%d).tar.gz\""));
    }

    // The report names come from run_disagg_test.sh, the one place that sets them.
    private static string JunitName() => System.Text.RegularExpressions.Regex.Match(Script, @"junit;LogFileName=([^;""]+)").Groups[1].Value;
    private static string TrxName() => System.Text.RegularExpressions.Regex.Match(Script, @"trx;LogFileName=([^;""]+)").Groups[1].Value;
}
