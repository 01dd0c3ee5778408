using Disagg.Harness.Reporting;

namespace Disagg.Harness.Tests.Reporting;

public sealed class AttachmentPathTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Test]
    public void Project_folder_is_gitlab_then_jenkins_then_the_repository()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(AttachmentPath.ProjectDir(Env(("CI_PROJECT_DIR", "/builds/g/p"), ("WORKSPACE", "/var/jenkins/ws")), "/repo"),
                Is.EqualTo("/builds/g/p"));
            Assert.That(AttachmentPath.ProjectDir(Env(("WORKSPACE", "/var/jenkins/ws")), "/repo"), Is.EqualTo("/var/jenkins/ws"));
            Assert.That(AttachmentPath.ProjectDir(Env(("CI_PROJECT_DIR", "")), "/repo"), Is.EqualTo("/repo"));
        }
    }

    [TestCase("/builds/p/results/7/t/job_3_failure_20261201.tar.gz", "results/7/t/job_3_failure_20261201.tar.gz")]
    [TestCase("/builds/p/./results/../results/7/results.json", "results/7/results.json")]
    [TestCase("results/7/t/results.json", "results/7/t/results.json")]
    public void Paths_under_the_project_folder_become_relative(string path, string expected) =>
        Assert.That(AttachmentPath.Relative(path, "/builds/p"), Is.EqualTo(expected));

    [TestCase("/tmp/results/7/results.json")]
    [TestCase("/builds/p2/results.json")]
    [TestCase("/builds")]
    public void Paths_outside_the_project_folder_have_no_relative_form(string path) =>
        Assert.That(AttachmentPath.Relative(path, "/builds/p"), Is.Null);

    [Test]
    public void Diagnosis_archives_come_first_and_duplicates_go()
    {
        var ordered = AttachmentPath.Ordered(["a/results.json", "a/job_9_failure_20261201.tar.gz", "a/results.json", "a/notes.txt"]);
        Assert.That(ordered, Is.EqualTo(new[] { "a/job_9_failure_20261201.tar.gz", "a/results.json", "a/notes.txt" }));
    }

    [TestCase("x/job_12_failure_20261201.tar.gz", true)]
    [TestCase("x/job_unsubmitted_failure_20261201.tar.gz", true)]
    [TestCase("x/results.json", false)]
    [TestCase("x/myjob_1.tar.gz", false)]
    public void Recognises_diagnosis_archives(string path, bool expected) =>
        Assert.That(AttachmentPath.IsDiagnosisArchive(path), Is.EqualTo(expected));
}
