using System.Text.RegularExpressions;
using System.Xml.Linq;
using Disagg.Harness.Cli;
using Disagg.Harness.Reporting;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Reporting;

/// <summary>
/// The JUnit rewrite on the logger's real output (Fixtures/junit, one passing, one threshold failure, one waived test),
/// checked against the Jenkins xUnit plugin's junit-10.xsd and read the way GitLab's parser reads it.
/// </summary>
public sealed class JunitReportTests
{
    private const string Passed = "disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX";
    private const string Failed = "disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-NIXL";
    private const string Waived = "disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-MPI";
    private const string WaiverUrl = "https://nvbugs/5551234";

    private string _project = "";
    private string _results = "";

    [SetUp]
    public void CreateProject()
    {
        _project = Directory.CreateTempSubdirectory("disagg-junit-").FullName;
        _results = Path.Combine(_project, "results", "42");
        // The files the logger's attachments name, so "exists from the project folder" is checkable.
        foreach (var file in new[] { $"{Passed}/results.json", $"{Failed}/results.json", $"{Failed}/job_14_failure_20261206.tar.gz" })
        {
            var path = Path.Combine(_results, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "x");
        }
    }

    [TearDown]
    public void RemoveProject() => Directory.Delete(_project, recursive: true);

    private string LoggerOutput() =>
        File.ReadAllText(FixturePaths.Fixture("junit", "logger-output.junit.xml")).Replace("{results}", _results, StringComparison.Ordinal)
            .Replace("{configs}", Path.Combine(_project, "configs"), StringComparison.Ordinal);

    private static readonly JunitReport.CategoryLookup Categories = (id, _) => id == Passed ? ["perf", "disagg", "UCX"] : [];

    private (XDocument Doc, IReadOnlyList<string> Warnings) Rewritten(JunitReport.CategoryLookup? categories = null)
    {
        var doc = XDocument.Parse(LoggerOutput());
        var warnings = JunitReport.Rewrite(doc, _project, categories ?? Categories);
        return (doc, warnings);
    }

    private static XElement Case(XDocument doc, string id) =>
        doc.Descendants("testcase").Single(c => JunitReport.TestId((string)c.Attribute("name")!) == id);

    [Test]
    public void The_logger_output_itself_fails_junit_10_xsd()
    {
        // Guards the check below: the schema copy really rejects what the issue reports (properties in testcase, 7-decimal times).
        var errors = ReportSchemas.Validate(LoggerOutput(), ReportSchemas.Junit);
        Assert.That(errors, Has.Some.Contains("properties").And.Some.Contains("time"));
    }

    [Test]
    public void Rewritten_file_validates_against_junit_10_xsd()
    {
        var (doc, _) = Rewritten();
        Assert.That(ReportSchemas.Validate(doc.ToString(), ReportSchemas.Junit), Is.Empty);
    }

    [Test]
    public void Waived_test_has_its_url_in_skipped_message()
    {
        var (doc, _) = Rewritten();
        var skipped = Case(doc, Waived).Element("skipped");
        Assert.That(skipped, Is.Not.Null);
        Assert.That((string?)skipped!.Attribute("message"), Is.EqualTo(WaiverUrl));
        // GitLab shows the element's content as the case's output.
        Assert.That(skipped.Value, Is.EqualTo(WaiverUrl));
    }

    [Test]
    public void Attachments_are_relative_to_the_project_folder_exist_and_start_with_the_diagnosis_archive()
    {
        var (doc, warnings) = Rewritten();
        var failed = ReportSchemas.Attachments(Case(doc, Failed));
        var all = doc.Descendants("testcase").SelectMany(ReportSchemas.Attachments).ToList();
        // GitLab's parser takes the first [[ATTACHMENT|...]] of a failed case's system-out.
        var gitlabFirst = Regex.Match(Case(doc, Failed).Element("system-out")!.Value, @"\[\[ATTACHMENT\|(?<path>.+?)\]\]").Groups["path"].Value;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(warnings, Is.Empty);
            Assert.That(all, Has.Count.EqualTo(3));
            Assert.That(all, Has.All.Not.StartWith("/"));
            Assert.That(all.Where(p => !File.Exists(Path.Combine(_project, p))), Is.Empty, "attachments missing from the project folder");
            Assert.That(failed, Is.EqualTo(new[] { $"results/42/{Failed}/job_14_failure_20261206.tar.gz", $"results/42/{Failed}/results.json" }));
            Assert.That(gitlabFirst, Is.EqualTo(failed[0]));
        }
    }

    [Test]
    public void Archive_comes_first_even_when_the_logger_wrote_it_last()
    {
        var text = LoggerOutput();
        var archive = $"[[ATTACHMENT|{_results}/{Failed}/job_14_failure_20261206.tar.gz]]\n";
        var results = $"[[ATTACHMENT|{_results}/{Failed}/results.json]]\n";
        Assert.That(text, Does.Contain(archive + results));
        var doc = XDocument.Parse(text.Replace(archive + results, results + archive, StringComparison.Ordinal));
        JunitReport.Rewrite(doc, _project, Categories);
        Assert.That(ReportSchemas.Attachments(Case(doc, Failed))[0], Does.EndWith(".tar.gz"));
    }

    [Test]
    public void Failure_message_keeps_the_table_of_metric_concurrency_value_bound_and_rule()
    {
        var (doc, _) = Rewritten();
        var message = (string)Case(doc, Failed).Element("failure")!.Attribute("message")!;
        Assert.That(message, Does.Contain("metric          c  value     bound/baseline"));
        Assert.That(message, Does.Match(@"median_ttft_ms +1 +15\.87 ms +<= 0\.01 ms .*rule 'median_ttft_ms <= 0\.01' from .*\.yaml:46"));
    }

    [Test]
    public void Categories_and_nunit_properties_are_properties_of_the_test_suite_not_the_case()
    {
        var (doc, _) = Rewritten();
        var suite = Case(doc, Passed).Parent!;
        var properties = suite.Element("properties")!.Elements("property").Select(p => ((string)p.Attribute("name")!, (string)p.Attribute("value")!)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc.Descendants("testcase").Elements("properties"), Is.Empty);
            Assert.That((string?)suite.Attribute("name"), Is.EqualTo(Passed));
            Assert.That(properties, Is.EqualTo(new[] { ("Category", "perf"), ("Category", "disagg"), ("Category", "UCX"), ("UseCancellation", "True") }));
        }
    }

    [Test]
    public void Categories_come_from_the_config_tree_as_discovery_makes_them()
    {
        var lookup = JunitCommand.CategoriesFrom(Path.Combine(FixturePaths.RepoRoot, "configs"));
        Assert.That(lookup(Passed, null), Is.EqualTo(new[] { "perf", "disagg", "sim-tiny", "GB200", "GB300", "H100", "B200", "B300", "128-32", "e2e", "UCX" }));
        Assert.That(lookup(Passed, "gen_only"), Does.Contain("gen_only").And.Not.Contain("e2e"), "a test-db list's Mode property wins");
        Assert.That(lookup("disagg_perf_no-such-config", null), Is.Empty);
    }

    [Test]
    public void Counts_and_times_of_the_nested_suites_add_up_and_have_three_decimals()
    {
        var (doc, _) = Rewritten();
        var top = doc.Root!.Element("testsuite")!;
        var nested = top.Elements("testsuite").ToList();
        int Sum(string attr) => nested.Sum(s => int.Parse((string)s.Attribute(attr)!, System.Globalization.CultureInfo.InvariantCulture));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(nested, Has.Count.EqualTo(3));
            Assert.That((Sum("tests"), Sum("failures"), Sum("errors"), Sum("skipped")), Is.EqualTo((3, 1, 0, 1)));
            Assert.That((string?)top.Attribute("time"), Is.EqualTo("24.820"));
            Assert.That(doc.Descendants().Attributes("time").Select(a => a.Value), Has.All.Match(@"^\d+\.\d{3}$"));
        }
    }

    [Test]
    public void Rewriting_twice_changes_nothing_more()
    {
        var (doc, _) = Rewritten();
        var once = doc.ToString();
        var again = XDocument.Parse(once);
        JunitReport.Rewrite(again, _project, Categories);
        Assert.That(again.ToString(), Is.EqualTo(once));
    }

    [Test]
    public void An_attachment_outside_the_project_folder_stays_absolute_and_is_reported()
    {
        var elsewhere = Directory.CreateTempSubdirectory("disagg-elsewhere-").FullName;
        try
        {
            var (doc, warnings) = (XDocument.Parse(LoggerOutput()), (IReadOnlyList<string>)[]);
            warnings = JunitReport.Rewrite(doc, elsewhere, Categories);
            Assert.That(warnings, Has.Count.EqualTo(3).And.All.Contains("outside the CI project folder").And.All.Contains("--results-dir"));
            Assert.That(ReportSchemas.Attachments(Case(doc, Passed)), Is.EqualTo(new[] { $"{_results}/{Passed}/results.json" }));
        }
        finally
        {
            Directory.Delete(elsewhere);
        }
    }

    [Test]
    public void The_verb_rewrites_the_file_in_the_results_folder_and_exits_0()
    {
        File.WriteAllText(Path.Combine(_results, JunitReport.FileName), LoggerOutput());
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = JunitCommand.Run(_results, _project, Path.Combine(FixturePaths.RepoRoot, "configs"), output, error);
        var text = File.ReadAllText(Path.Combine(_results, JunitReport.FileName));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, error.ToString());
            Assert.That(error.ToString(), Is.Empty);
            Assert.That(ReportSchemas.Validate(text, ReportSchemas.Junit), Is.Empty);
            Assert.That(text, Does.Contain("<property name=\"Category\" value=\"UCX\" />"));
        }
    }

    [Test]
    public void The_verb_says_what_is_missing()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.That(JunitCommand.Run(Path.Combine(_project, "nope"), _project, _project, output, error), Is.EqualTo(ExitCodes.BadInput));
        Assert.That(JunitCommand.Run(_results, _project, _project, output, error), Is.EqualTo(ExitCodes.Failed));
        Assert.That(error.ToString(), Does.Contain("does not exist").And.Contain(JunitReport.FileName));
    }
}
