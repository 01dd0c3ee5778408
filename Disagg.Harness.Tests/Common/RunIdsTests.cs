using Disagg.Harness.Common;

namespace Disagg.Harness.Tests.Common;

public sealed class RunIdsTests
{
    [TestCase("20250101-120000")]
    [TestCase("gitlab-1234-5678")]
    [TestCase("e2e_upload.run-1")]
    [TestCase("A")]
    public void An_id_of_letters_digits_and_underscore_dot_dash_is_used_as_given(string id)
    {
        Assert.That(RunIds.Sanitize(id), Is.EqualTo(id));
        Assert.That(RunIds.IsSanitized(id), Is.True);
    }

    [TestCase("jenkins-jenkins-disagg-feature%2Fretry-12", "jenkins-jenkins-disagg-feature_retry-12")]
    [TestCase("jenkins-jenkins-disagg-feature/retry-12", "jenkins-jenkins-disagg-feature_retry-12")]
    [TestCase("jenkins-PR%2f7-3", "jenkins-PR_7-3")]
    [TestCase("nightly run 3", "nightly_run_3")]
    [TestCase("  padded  ", "padded")]
    [TestCase("a;b$(id)", "a_b__id_")]
    [TestCase("50%", "50_")]
    [TestCase("%252F", "_2F")]
    [TestCase("naïve", "na_ve")]
    public void Other_ids_become_that_form_deterministically(string raw, string expected)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RunIds.Sanitize(raw), Is.EqualTo(expected));
            Assert.That(RunIds.Sanitize(RunIds.Sanitize(raw)), Is.EqualTo(expected), "sanitising twice changes nothing");
            Assert.That(RunIds.IsSanitized(expected), Is.True);
        }
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("\t\n")]
    public void An_empty_id_is_an_error_that_says_what_to_pass(string raw) =>
        Assert.That(() => RunIds.Sanitize(raw),
            Throws.ArgumentException.With.Message.EqualTo($"the run id '{raw}' is empty; pass the run's DISAGG_RUN_ID, or its results folder's name " +
                                                          "(letters, digits and _ . - are used as given)"));

    [TestCase(null, "/results/20250101-120000", "20250101-120000")]
    [TestCase(null, "/results/20250101-120000/", "20250101-120000")]
    [TestCase("", "/results/my results", "my_results")]
    [TestCase("jenkins-x%2Fy-1", "/results/ignored", "jenkins-x_y-1")]
    public void Resolve_takes_the_variable_else_the_results_folder_name(string? variable, string resultsDir, string expected) =>
        Assert.That(RunIds.Resolve(variable, resultsDir), Is.EqualTo(expected));

    [Test]
    public void Resolve_names_the_variable_or_the_folder_when_neither_gives_an_id()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => RunIds.Resolve("  ", "/results/x"), Throws.ArgumentException.With.Message.StartsWith("DISAGG_RUN_ID is blank"));
            Assert.That(() => RunIds.Resolve(null, "/"), Throws.ArgumentException.With.Message.EqualTo(
                "DISAGG_RUN_ID is not set and the results folder '/' has no name to use instead; set DISAGG_RUN_ID"));
        }
    }
}
