using Disagg.Harness.Reporting;
using Disagg.Harness.Tests.Fixtures;
using static Disagg.Harness.Tests.Reporting.HistorySamples;

namespace Disagg.Harness.Tests.Reporting;

public sealed class RunComparisonTests
{
    private const string ConfigA = """{"source_file":"a.yaml","benchmark":{"concurrency_list":"1 4"},"worker_config":{"gen":{"max_batch_size":16}}}""";
    private const string ConfigB = """{"source_file":"b.yaml","benchmark":{"concurrency_list":"1 4"},"worker_config":{"gen":{"max_batch_size":32}}}""";

    private static RunComparison Sample()
    {
        var a = Run("run-a", 10, commit: "aaaaaaaaaaaaaaaa", config: ConfigA);
        var b = Run("run-b", 11, commit: "bbbbbbbbbbbbbbbb", image: "img:2", config: ConfigB);
        var history = Enumerable.Range(0, 5).SelectMany(i => new[]
        {
            Value($"h{i}", "output_token_throughput", 100 + (i % 2 == 0 ? 1 : -1)),
            Value($"h{i}", "median_tpot_ms", 20 + (i % 2 == 0 ? 0.2 : -0.2)),
            Value($"h{i}", "median_ttft_ms", 50 + new[] { 5, -5, 3, -3, 0 }[i]),
        }).ToList();
        return RunComparison.Build("run-a", "run-b", [a], [b],
            [Value("run-a", "output_token_throughput", 100), Value("run-a", "median_tpot_ms", 20), Value("run-a", "median_ttft_ms", 50),
                Value("run-a", "user_throughput", 40), Value("run-a", "total_requests", 16)],
            [Value("run-b", "output_token_throughput", 80), Value("run-b", "median_tpot_ms", 20.5), Value("run-b", "median_ttft_ms", 45),
                Value("run-b", "user_throughput", 41), Value("run-b", "total_requests", 16)],
            history, 20);
    }

    [Test]
    public void Worst_movers_come_first_with_their_significance()
    {
        var rows = Sample().Rows;
        Assert.That(rows.Select(r => (r.Metric, r.Significance)), Is.EqualTo(new[]
        {
            ("output_token_throughput", Significance.Significant), // -20 % against a 1.5 % noise
            ("median_tpot_ms", Significance.Likely),               // +2.5 % against 1 %
            ("median_ttft_ms", Significance.Noise),                // 10 % better against an 8.9 % noise: -1.1 sigmas
            ("user_throughput", Significance.Unknown),             // no history: 2.5 % better against the 1 % floor, -2.5
        }));
        Assert.That(rows[0].Worse, Is.True);
        Assert.That(rows.Select(r => r.Metric), Does.Not.Contain("total_requests"), "metrics without a direction are not compared");
    }

    [Test]
    public void Differences_name_commit_image_and_the_changed_config_key()
    {
        var diffs = Sample().Differences.Select(d => $"{d.TestId}|{d.What}|{d.A}|{d.B}").ToList();
        Assert.That(diffs, Is.EqualTo(new[]
        {
            "|commit|aaaaaaaaaaaaaaaa|bbbbbbbbbbbbbbbb",
            "|container image|img:1|img:2",
            "t1|config worker_config.gen.max_batch_size|16|32",
        }));
    }

    [Test]
    public void Markdown_matches_golden() =>
        FixturePaths.AssertGolden(CompareMarkdown.Render(Sample()), "golden", "reporting", "compare.md");

    [Test]
    public void Html_is_well_formed_and_has_every_row()
    {
        var html = CompareHtml.Render(Sample(), T0);
        var doc = System.Xml.Linq.XDocument.Parse(html.Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));
        var movers = doc.Descendants("table").Single(t => (string?)t.Attribute("class") == "movers");
        Assert.That(movers.Elements("tr").Count(), Is.EqualTo(1 + 4));
        Assert.That(html, Does.Not.Contain("style=").And.Not.Contain("<script").And.Not.Contain("href=").And.Not.Contain("src="));
    }
}
