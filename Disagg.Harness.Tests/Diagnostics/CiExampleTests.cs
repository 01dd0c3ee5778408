using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Disagg.Harness.Common;
using Disagg.Harness.Rendering;
using Disagg.Harness.Reporting;
using Disagg.Harness.Tests.Fixtures;
using Json.Schema;

namespace Disagg.Harness.Tests.Diagnostics;

/// <summary>
/// The CI examples users copy (examples/ci) work as written: the GitLab job passes GitLab's own CI schema and keeps the
/// whole results folder once; the Jenkinsfile follows the declarative structure, names the plugins of its steps,
/// publishes JUnit with attachments and cancels the run's SLURM jobs by a clean run id with failures visible.
/// </summary>
public sealed partial class CiExampleTests
{
    private static string Example(string name) => Path.Combine(FixturePaths.RepoRoot, "examples", "ci", name);
    private static readonly string Script = File.ReadAllText(Path.Combine(FixturePaths.RepoRoot, "run_disagg_test.sh"));

    // ---- GitLab ----

    private static JsonObject GitLab() => (JsonObject)YamlJson.Load(Example("gitlab-ci.yml"))!;

    // Loaded once: the library registers a schema under its $id and refuses a second registration.
    private static readonly Lazy<JsonSchema> GitLabSchema = new(() => JsonSchema.FromText(File.ReadAllText(FixturePaths.Fixture("schemas", "gitlab-ci.json"))));

    private static IReadOnlyList<string> SchemaErrors(JsonNode document)
    {
        var schema = GitLabSchema.Value;
        using var json = JsonDocument.Parse(document.ToJsonString());
        var result = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        return [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}")).DefaultIfEmpty("invalid")];
    }

    [Test]
    public void GitLab_example_is_valid_against_gitlabs_ci_schema() =>
        Assert.That(SchemaErrors(GitLab()), Is.Empty);

    [Test]
    public void The_schema_check_rejects_what_gitlab_rejects()
    {
        // Guards the check above: a misspelled artifacts key and an unknown 'when' value must fail it.
        var broken = GitLab();
        var artifacts = broken["disagg-perf"]!["artifacts"]!.AsObject();
        artifacts["expose"] = "report";
        artifacts["when"] = "sometimes";
        Assert.That(SchemaErrors(broken), Is.Not.Empty);
    }

    [Test]
    public void GitLab_job_keeps_the_whole_results_folder_once_exposes_it_and_reads_the_junit()
    {
        var root = GitLab();
        var job = root["disagg-perf"]!.AsObject();
        var artifacts = job["artifacts"]!.AsObject();
        var resultsDir = (string)root["variables"]!["RESULTS_DIR"]!;
        var paths = artifacts["paths"]!.AsArray().Select(p => (string)p!).ToList();
        var excludes = artifacts["exclude"]!.AsArray().Select(p => (string)p!).ToList();
        var kept = Archived(SampleResultsFolder(resultsDir), paths, excludes);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)job["script"]![0], Does.StartWith("./run_disagg_test.sh --test-list").And.Contain("--results-dir \"$RESULTS_DIR\""));
            Assert.That((string?)artifacts["when"], Is.EqualTo("always"), "failures are when the logs matter");
            Assert.That(paths, Has.All.Not.Contain("$"), "expose_as shows nothing when artifact paths use variables");
            Assert.That(paths, Has.All.EndsWith("/"), "expose_as ignores a directory path without the trailing /");
            Assert.That(paths, Is.EqualTo(new[] { resultsDir + "/" }), "RESULTS_DIR and the archived folder are the same");
            Assert.That((string?)artifacts["expose_as"], Is.Not.Empty);
            Assert.That((string?)artifacts["reports"]!["junit"], Is.EqualTo($"{resultsDir}/{JunitName()}"));
            Assert.That(JunitName(), Is.EqualTo(JunitReport.FileName), "run_disagg_test.sh names the file the junit verb rewrites");
            Assert.That(kept.Count(p => p.EndsWith(".tar.gz", StringComparison.Ordinal)), Is.EqualTo(1),
                "each diagnosis archive once: " + string.Join(", ", kept));
            Assert.That(kept, Is.SupersetOf(new[]
            {
                $"{resultsDir}/{TestId}/results.json", $"{resultsDir}/{TestId}/benchmark.log", $"{resultsDir}/{TestId}/{Archive}",
                $"{resultsDir}/{LegacyCsv.FileName}", $"{resultsDir}/{HtmlReport.FileName}", $"{resultsDir}/{HtmlReport.CssFileName}",
                $"{resultsDir}/{MarkdownSummary.FileName}", $"{resultsDir}/{TrxName()}", $"{resultsDir}/{JunitName()}",
            }));
        }
    }

    [Test]
    public void GitLab_after_script_cancels_and_resends_and_says_when_that_failed()
    {
        var after = GitLab()["disagg-perf"]!["after_script"]!.AsArray().Select(s => (string)s!).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(after[0], Does.StartWith("./run_disagg_test.sh --no-build cancel \"$DISAGG_RUN_ID\""));
            Assert.That(after, Has.Some.StartWith("./run_disagg_test.sh --no-build upload-pending \"$RESULTS_DIR\""));
            Assert.That(after, Has.None.Contains("|| true"), "a failure must show in the job log");
            Assert.That(after, Has.All.Contains("|| echo \"[disagg] ").And.All.Contains("FAILED (exit $?)"));
            Assert.That((string?)GitLab()["variables"]!["DISAGG_RUN_ID"], Does.Match(@"^[A-Za-z0-9_.$-]+$"), "only run-id characters and variables");
        }
    }

    private const string TestId = "disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-NIXL";
    private const string Archive = "job_14_failure_20261206.tar.gz";

    /// <summary>The files of a failed run's results folder, as the runner and the TRX logger lay them out.</summary>
    private static IReadOnlyList<string> SampleResultsFolder(string resultsDir) =>
    [
        .. new[] { JunitName(), TrxName(), HtmlReport.FileName, HtmlReport.CssFileName, MarkdownSummary.FileName, LegacyCsv.FileName }
            .Select(f => $"{resultsDir}/{f}"),
        .. new[] { "results.json", "benchmark.log", "job.sbatch", "concurrency_4/result.json", Archive }.Select(f => $"{resultsDir}/{TestId}/{f}"),
        // The TRX logger copies every attachment into <user>_<host>_<time>/In/<execution id>/<host>/.
        $"{resultsDir}/runner_ci-host_2026-12-06_23_46_19/In/61563e42-bd88-4fd4-a875-df4dfb455d8e/ci-host/{Archive}",
        $"{resultsDir}/runner_ci-host_2026-12-06_23_46_19/In/61563e42-bd88-4fd4-a875-df4dfb455d8e/ci-host/results.json",
    ];

    /// <summary>GitLab's artifact selection: paths (a folder with '/' takes all below it) minus exclude globs (doublestar).</summary>
    private static List<string> Archived(IEnumerable<string> files, IReadOnlyList<string> paths, IReadOnlyList<string> excludes)
    {
        static Regex Glob(string glob) => new("^" + Regex.Escape(glob).Replace(@"\*\*", "\u0001", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal).Replace("\u0001", ".*", StringComparison.Ordinal) + "$");
        return files.Where(f => paths.Any(p => p.EndsWith('/') ? f.StartsWith(p, StringComparison.Ordinal) : Glob(p).IsMatch(f)))
            .Where(f => !excludes.Any(e => Glob(e).IsMatch(f))).ToList();
    }

    // ---- Jenkins ----

    private static readonly string JenkinsText = File.ReadAllText(Example("Jenkinsfile"));
    private static GroovyBlock Pipeline() => GroovyBlock.Parse(JenkinsText)["pipeline"]!;

    // Declarative pipeline syntax: sections and directives of the pipeline block, and post conditions.
    private static readonly string[] PipelineSections =
        ["agent", "environment", "options", "parameters", "triggers", "tools", "input", "libraries", "stages", "post"];
    private static readonly string[] PostConditions =
        ["always", "changed", "fixed", "regression", "aborted", "failure", "success", "unstable", "unsuccessful", "cleanup"];

    /// <summary>Steps the example may use and the plugin that provides each (named in the file's header).</summary>
    private static readonly Dictionary<string, string> StepPlugins = new()
    {
        ["sh"] = "workflow-aggregator", ["echo"] = "workflow-aggregator", ["catchError"] = "workflow-aggregator",
        ["junit"] = "junit", ["attachments"] = "junit-attachments", ["archiveArtifacts"] = "core",
    };

    [Test]
    public void Jenkinsfile_follows_the_declarative_structure()
    {
        var top = GroovyBlock.Parse(JenkinsText);
        var pipeline = Pipeline();
        var stages = pipeline["stages"]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(top.Blocks.Select(b => b.Name), Is.EqualTo(new[] { "pipeline" }), "one pipeline block");
            Assert.That(top.Statements, Is.Empty, "nothing outside the pipeline block");
            Assert.That(pipeline.Blocks.Select(b => b.Name), Is.SubsetOf(PipelineSections).And.Unique);
            Assert.That(pipeline.Blocks.Select(b => b.Name), Does.Contain("agent").And.Contain("stages"), "agent and stages are required");
            Assert.That(pipeline.Statements, Is.Empty);
            Assert.That(stages.Blocks, Is.Not.Empty);
            Assert.That(stages.Blocks.Select(b => b.Header), Has.All.Match(@"^stage\('[^']+'\)$"));
            Assert.That(stages.Blocks.Select(b => b.Blocks.Count(c => c.Name is "steps" or "stages" or "parallel" or "matrix")), Has.All.EqualTo(1));
            Assert.That(pipeline["post"]!.Blocks.Select(b => b.Name), Is.SubsetOf(PostConditions).And.Unique);
            Assert.That(pipeline["post"]!.Statements, Is.Empty, "steps live inside a post condition");
            Assert.That(pipeline["environment"]!.Statements, Has.All.Match(@"^[A-Za-z_][A-Za-z0-9_]* = .+$"));
            Assert.That(pipeline["options"]!.Statements, Has.All.Match(@"^(timeout|timestamps|buildDiscarder|disableConcurrentBuilds|retry)\("));
        }
    }

    [Test]
    public void Jenkinsfile_uses_only_steps_whose_plugins_it_names()
    {
        var pipeline = Pipeline();
        var stepBlocks = pipeline["stages"]!.Descendants().Where(b => b.Name == "steps").Concat(pipeline["post"]!.Blocks).ToList();
        var used = new List<string>();
        foreach (var container in stepBlocks)
            foreach (var b in container.Descendants().Prepend(container))
            {
                used.AddRange(b.Statements.Select(FirstWord));
                if (b != container) used.Add(b.Name);
            }
        if (JenkinsText.Contains("attachments()", StringComparison.Ordinal)) used.Add("attachments");
        used = [.. used.Distinct()];
        var header = string.Join('\n', JenkinsText.Split('\n').TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(used, Is.SubsetOf(StepPlugins.Keys), "steps without a known plugin");
            foreach (var plugin in used.Select(s => StepPlugins.GetValueOrDefault(s, "?")).Distinct().Where(p => p != "core"))
                Assert.That(header, Does.Contain($"({plugin}"), $"the header names plugin {plugin}");
        }
    }

    [Test]
    public void Jenkinsfile_publishes_junit_with_attachments_and_archives_the_results_folder_once()
    {
        var always = Pipeline()["post"]!["always"]!;
        var junit = always.Statements.Single(s => s.StartsWith("junit ", StringComparison.Ordinal));
        var archive = always.Statements.Single(s => s.StartsWith("archiveArtifacts ", StringComparison.Ordinal));
        const string resultsDir = "results/17";
        var kept = Archived(SampleResultsFolder(resultsDir), [Groovy(Arg(archive, "artifacts"), resultsDir)], [Groovy(Arg(archive, "excludes"), resultsDir)]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Arg(junit, "testResults"), Is.EqualTo($"${{env.RESULTS_DIR}}/{JunitName()}"));
            Assert.That(junit, Does.Contain("testDataPublishers: [attachments()]"), "JUnit Attachments shows the archive on the test's page");
            Assert.That(kept.Count(p => p.EndsWith(".tar.gz", StringComparison.Ordinal)), Is.EqualTo(1), string.Join(", ", kept));
            Assert.That(kept, Does.Contain($"{resultsDir}/{HtmlReport.CssFileName}").And.Contain($"{resultsDir}/{LegacyCsv.FileName}")
                .And.Contain($"{resultsDir}/{TestId}/benchmark.log"));
            Assert.That(Pipeline()["environment"]!.Statements, Has.Some.Match(@"^RESULTS_DIR = ""results/"),
                "inside the workspace: attachments are relative to it");
        }
    }

    [Test]
    public void Jenkinsfile_cancels_first_in_post_always_and_a_failing_cancel_fails_the_build()
    {
        var always = Pipeline()["post"]!["always"]!;
        var first = always.Blocks.FirstOrDefault();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first?.Name, Is.EqualTo("catchError"));
            var cancelAt = JenkinsText.IndexOf(JenkinsCancel, StringComparison.Ordinal);
            Assert.That(always.Statements.Select(st => JenkinsText.IndexOf(st, StringComparison.Ordinal)), Has.All.GreaterThan(cancelAt),
                "cancel is the first step");
            Assert.That(first?.Header, Does.Contain("buildResult: 'FAILURE'"));
            Assert.That(first?.Statements, Is.EqualTo(new[] { "sh " + JenkinsCancel }));
            Assert.That(JenkinsText, Does.Not.Contain("|| true"), "no failure is hidden");
            Assert.That(Pipeline()["post"]!.Blocks.Select(b => b.Name), Does.Contain("aborted"));
        }
    }

    private const string JenkinsCancel = "'./run_disagg_test.sh --no-build cancel \"$DISAGG_RUN_ID\"'";

    /// <summary>DISAGG_RUN_ID as the Jenkinsfile's environment sets it from BUILD_TAG.</summary>
    public static string JenkinsRunIdVariable(string buildTag)
    {
        var statement = Pipeline()["environment"]!.Statements.Single(s => s.StartsWith("DISAGG_RUN_ID = ", StringComparison.Ordinal));
        Assert.That(statement, Is.EqualTo("DISAGG_RUN_ID = \"${env.BUILD_TAG}\""), "BUILD_TAG already starts with jenkins-; the harness sanitises it");
        return buildTag;
    }

    /// <summary>BUILD_TAG of build 17 of a multibranch job "perf/disagg" on branch "feature/ci-fixes".</summary>
    public const string MultibranchBuildTag = "jenkins-perf-disagg-feature%2Fci-fixes-17";

    [Test]
    public void Jenkins_run_id_of_a_multibranch_build_is_a_clean_run_id()
    {
        // What the run names its jobs by (DISAGG_RUN_ID, sanitised) and what cancel looks for: one spelling.
        var id = RunIds.Resolve(JenkinsRunIdVariable(MultibranchBuildTag), "results/17");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(id, Is.EqualTo("jenkins-perf-disagg-feature_ci-fixes-17"));
            Assert.That(id, Does.Not.StartWith("jenkins-jenkins-").And.Not.Contain("%"));
            Assert.That(RunIds.Sanitize(MultibranchBuildTag), Is.EqualTo(id), "cancel given the raw tag looks for the same id");
        }
    }

    /// <summary>The Jenkinsfile's sh command that cancels the run, as the shell gets it.</summary>
    public static string JenkinsCancelCommand() => JenkinsCancel.Trim('\'');

    private static string FirstWord(string statement) => new(statement.TakeWhile(c => char.IsLetterOrDigit(c) || c == '_').ToArray());

    private static string Arg(string step, string name) =>
        Regex.Match(step, name + @": ""(?<v>[^""]*)""").Groups["v"].Value is { Length: > 0 } v ? v : throw new AssertionException($"no {name}: in {step}");

    private static string Groovy(string gstring, string resultsDir) => gstring.Replace("${env.RESULTS_DIR}", resultsDir, StringComparison.Ordinal);

    // ---- shared ----

    [Test]
    public void Package_glob_matches_the_names_job_and_runner_write()
    {
        var glob = JobFiles.DiagnosisArchiveGlob["**/".Length..];
        var pattern = "^" + Regex.Escape(glob).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.That(JobFiles.DiagnosisArchive("4242", "failure", today), Does.Match(pattern));
        Assert.That(JobFiles.DiagnosisArchive(Harness.Diagnostics.DiagnosisPackager.Unsubmitted, "failure", today), Does.Match(pattern));
        Assert.That(PackagingFunctions.Text(JobFiles.Phases), Does.Contain("name=\"job_${SLURM_JOB_ID:-0}_${status}_$(date -u +%Y%m%d).tar.gz\""));
    }

    // The report names come from run_disagg_test.sh, the one place that sets them.
    private static string JunitName() => Regex.Match(Script, @"junit;LogFileName=([^;""]+)").Groups[1].Value;
    private static string TrxName() => Regex.Match(Script, @"trx;LogFileName=([^;""]+)").Groups[1].Value;
}
