using Disagg.Harness.Reporting;

namespace Disagg.Harness.Tests.Reporting;

public sealed class ReportReaderTests
{
    [Test]
    public void Reads_every_test_of_the_run_including_partial_and_trx_only_ones()
    {
        var run = ReportFixture.Read();

        Assert.That(run.Tests.Select(t => t.TestId), Is.EqualTo(ReportFixture.AllIds));
        Assert.That((run.PassedCount, run.FailedCount), Is.EqualTo((1, 3)));
    }

    [Test]
    public void Real_smoke_results_are_parsed_with_metrics_verdicts_and_metadata()
    {
        var t = ReportFixture.Read().Tests.Single(t => t.TestId == ReportFixture.PassedId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(t.Passed, Is.True);
            Assert.That(t.JobId, Is.EqualTo("15"));
            Assert.That(t.JobState, Is.EqualTo("COMPLETED"));
            Assert.That(t.DurationSeconds, Is.EqualTo(7.3));
            Assert.That(t.Concurrencies.Select(c => c.Concurrency), Is.EqualTo(new[] { 1, 4 }));
            Assert.That(t.Concurrencies[1]["output_token_throughput"], Is.EqualTo(706.97));
            Assert.That(t.Concurrencies[0]["median_ttft_ms"], Is.EqualTo(7.77));
            Assert.That(t.Verdicts, Has.Count.EqualTo(7).And.All.Matches<VerdictRecord>(v => v.Passed));
            Assert.That(t.Phases, Is.Not.Empty);
            Assert.That((t.ModelName, t.Precision), Is.EqualTo(("sim-tiny", "fp16")), "from the config job_meta.env names");
            Assert.That(t.TrxOutcome, Is.EqualTo("Passed"));
            Assert.That(t.Start, Is.EqualTo(DateTimeOffset.Parse("2026-11-28T20:23:03.8805958+00:00", System.Globalization.CultureInfo.InvariantCulture)),
                "TRX start time wins");
            Assert.That(t.Folder, Is.EqualTo(ReportFixture.PassedId));
            Assert.That(t.DiagnosisArchive, Is.Null);
            Assert.That(t.Baselines, Is.Empty);
        }
    }

    [Test]
    public void Baselines_metadata_and_archive_are_read()
    {
        var t = ReportFixture.Read().Tests.Single(t => t.TestId == ReportFixture.ThresholdFailId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(t.Passed, Is.False);
            Assert.That(t.FailedVerdicts.Single().Rule, Is.EqualTo("median_ttft_ms <= 50 at c=32"));
            Assert.That(t.Baselines["median_ttft_ms"].At(8), Is.EqualTo(40.0), "a number applies to every concurrency");
            Assert.That(t.Baselines["output_token_throughput"].At(32), Is.EqualTo(2400.0));
            Assert.That(t.Baselines["output_token_throughput"].At(4), Is.Null);
            Assert.That(t.ModelName, Is.EqualTo("sim-tiny"), "from results.json metadata");
            Assert.That(t.DiagnosisArchive, Is.EqualTo($"{ReportFixture.ThresholdFailId}/job_21.tar.gz"));
        }
    }

    [Test]
    public void A_test_that_died_before_benchmarking_keeps_its_problems()
    {
        var t = ReportFixture.Read().Tests.Single(t => t.TestId == ReportFixture.CrashedId);

        Assert.That(t.Concurrencies, Is.Empty);
        Assert.That(t.Problems, Has.Count.EqualTo(2));
        Assert.That(t.FailureReasons.First(), Does.Contain("before the servers were ready"));
    }

    [Test]
    public void A_test_known_only_from_the_trx_appears_with_the_trx_message()
    {
        var t = ReportFixture.Read().Tests.Single(t => t.TestId == ReportFixture.TrxOnlyId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(t.HasResults, Is.False);
            Assert.That(t.Passed, Is.False);
            Assert.That(t.TrxOutcome, Is.EqualTo("Failed"));
            Assert.That(t.Problems.Single(), Does.StartWith("config /work/main/configs/disagg/perf/sim-tiny_bad-config.yaml is invalid"));
        }
    }

    [Test]
    public void Malformed_and_minimal_results_json_are_tolerated()
    {
        var dir = Directory.CreateTempSubdirectory("disagg-reader-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "broken"));
            File.WriteAllText(Path.Combine(dir, "broken", "results.json"), "{ \"test_id\": ");
            Directory.CreateDirectory(Path.Combine(dir, "minimal"));
            File.WriteAllText(Path.Combine(dir, "minimal", "results.json"), "{ \"test_id\": \"minimal\", \"passed\": true, \"concurrencies\": null }");
            Directory.CreateDirectory(Path.Combine(dir, "no-results"));

            var run = ReportReader.Read(dir);

            Assert.That(run.Tests.Select(t => t.TestId), Is.EqualTo(new[] { "broken", "minimal" }));
            Assert.That(run.Tests[0].Passed, Is.False);
            Assert.That(run.Tests[0].Problems.Single(), Does.Contain("not valid JSON"));
            Assert.That(run.Tests[1].Passed, Is.True);
            Assert.That(run.Tests[1].Concurrencies, Is.Empty);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void A_waived_test_is_skipped_with_its_reason_not_failed()
    {
        var dir = Directory.CreateTempSubdirectory("disagg-reader-").FullName;
        try
        {
            // The result element as the TRX logger writes an Ignored NUnit case (from a local-cluster run).
            File.WriteAllText(Path.Combine(dir, "disagg-perf.trx"), """
                <?xml version="1.0" encoding="utf-8"?>
                <TestRun id="46dd2290-6820-450b-8bf5-0f4d7981d234" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
                  <Results>
                    <UnitTestResult executionId="5ba8937c-1c23-43c5-8985-3f9759f2b599" testId="03e9cde5-4e26-3720-44e8-30743324c45d"
                        testName="Run(disagg_perf_w)"
                        computerName="vm" duration="00:00:00.0005599" startTime="2026-12-06T23:46:18.0973138+00:00" endTime="2026-12-06T23:46:18.0978369+00:00"
                        testType="13cdc9d9-ddb5-4fa4-a97d-d965ccfc6d4b" outcome="NotExecuted" testListId="8c84fa94-04c1-424b-9868-57a2d4851a1d">
                      <Output><StdOut>https://nvbugs/5551234</StdOut><ErrorInfo><Message>https://nvbugs/5551234</Message></ErrorInfo></Output>
                    </UnitTestResult>
                  </Results>
                </TestRun>
                """);

            var run = ReportReader.Read(dir);
            var html = HtmlReport.Render(run, ReportFixture.GeneratedAt);

            using (Assert.EnterMultipleScope())
            {
                Assert.That((run.PassedCount, run.FailedCount, run.SkippedCount), Is.EqualTo((0, 0, 1)));
                Assert.That(run.Tests.Single().SkipReason, Is.EqualTo("https://nvbugs/5551234"));
                Assert.That(run.Tests.Single().FailureReasons, Is.Empty);
                Assert.That(html, Does.Contain("<span class=\"badge skip\">SKIP</span>").And.Contain("skipped: https://nvbugs/5551234"));
                Assert.That(MarkdownSummary.Render(run), Does.Contain("0 passed, 0 failed, 1 skipped").And.Contain("`disagg_perf_w`: https://nvbugs/5551234"));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void A_missing_results_directory_is_an_error_naming_it()
    {
        Assert.That(() => ReportReader.Read("/nonexistent/disagg-results"),
            Throws.TypeOf<DirectoryNotFoundException>().With.Message.Contains("/nonexistent/disagg-results"));
    }
}
