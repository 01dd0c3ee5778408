using Disagg.Harness.Configuration;
using Disagg.Harness.TestLists;

namespace Disagg.Harness.Tests.TestLists;

/// <summary>
/// Waivers expire: <c>SKIP (url) until 2027-01-31</c> skips through that day, in native lists, waiver files and test-db
/// YAML; past it the test runs and carries the stale waiver; a waiver without a date is a warning, never an error.
/// </summary>
public sealed class WaiverExpiryTests
{
    private static readonly DateOnly Today = new(2027, 2, 1);

    [TestCase("disagg_perf_a SKIP (https://bugs/7) until 2027-02-01", "https://bugs/7", null, TestName = "Skips through the last day")]
    [TestCase("disagg_perf_a SKIP (https://bugs/7) until 2027-01-31", null,
        "SKIP (https://bugs/7) until 2027-01-31 (l.txt:1) expired; the test runs again", TestName = "Runs the day after, naming the stale waiver")]
    [TestCase("disagg_perf_a TIMEOUT (30) SKIP (see (nested) notes) until 2026-12-31", null,
        "SKIP (see (nested) notes) until 2026-12-31 (l.txt:1) expired; the test runs again", TestName = "Reasons with parentheses keep their text")]
    public void A_dated_native_waiver_holds_until_its_day(string line, string? skip, string? stale)
    {
        var entry = TestListParser.Parse(line + "\n", "l.txt", today: Today).Entries.Single();
        Assert.That((entry.SkipReason, entry.StaleWaiver), Is.EqualTo((skip, stale)));
    }

    [Test]
    public void An_undated_waiver_is_a_warning_naming_file_and_line()
    {
        var list = TestListParser.Parse("disagg_perf_b\ndisagg_perf_a SKIP (https://bugs/7)\n", "l.txt", today: Today);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(list.Entries.Select(e => e.SkipReason), Is.EqualTo(new[] { null, "https://bugs/7" }));
            Assert.That(list.Warnings.Select(w => (w.ToString(), w.IsWarning)), Is.EqualTo(new[]
            {
                ("l.txt:2:1: warning: waiver of 'disagg_perf_a' has no expiry date; write SKIP (https://bugs/7) until YYYY-MM-DD so it is looked at again",
                    true),
            }));
        }
    }

    [Test]
    public void An_unreadable_date_is_an_error_naming_file_and_line()
    {
        var e = Assert.Throws<ConfigException>(() => TestListParser.Parse("disagg_perf_a SKIP (https://bugs/7) until 31.01.2027\n", "l.txt", today: Today));
        Assert.That(e!.Errors.Select(x => x.ToString()), Is.EqualTo(new[]
        {
            "l.txt:1:1: cannot read the waiver's date '31.01.2027'; write SKIP (https://bugs/7) until YYYY-MM-DD, e.g. until 2027-01-31",
        }));
    }

    [Test]
    public void An_expired_waiver_file_entry_lets_the_test_run_and_marks_it_stale()
    {
        var list = TestListParser.Parse("disagg_perf_a\ndisagg_perf_b\n", "l.txt", today: Today);
        var waives = TestListParser.Parse(
            "disagg_perf_a SKIP (https://bugs/1) until 2027-06-30\ntest_disagg.py::TestDisaggBenchmark::test_benchmark[disagg_perf_b] SKIP (https://bugs/2) "
            + "until 2027-01-01\n", "waives.txt", today: Today);
        var applied = TestListParser.ApplyWaives(list, waives).Entries;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(applied.Select(e => e.SkipReason), Is.EqualTo(new[] { "https://bugs/1", null }));
            Assert.That(applied[1].StaleWaiver, Is.EqualTo("SKIP (https://bugs/2) until 2027-01-01 (waives.txt:2) expired; the test runs again"));
        }
    }

    [Test]
    public void Test_db_yaml_entries_expire_the_same_way()
    {
        const string yaml = """
            version: 0.0.1
            l0_local:
            - condition:
                terms:
                  stage: post_merge
              tests:
              - perf/test_perf_sanity.py::test_e2e[disagg_upload-e2e-sim-a] SKIP (https://bugs/3) until 2027-01-15
              - perf/test_perf_sanity.py::test_e2e[disagg_upload-e2e-sim-b] SKIP (https://bugs/4) until 2027-03-01
            """;
        var props = new SystemProperties(new Dictionary<string, string> { ["stage"] = "post_merge" });
        var entries = TestListParser.Parse(yaml, "db.yml", props, Today).Entries;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries.Select(e => e.SkipReason), Is.EqualTo(new[] { null, "https://bugs/4" }));
            Assert.That(entries[0].StaleWaiver, Does.StartWith("SKIP (https://bugs/3) until 2027-01-15 (db.yml:7) expired"));
        }
    }
}
