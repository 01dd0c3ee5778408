using System.Xml.Linq;
using Disagg.Harness.Reporting;

namespace Disagg.Harness.Tests.Reporting;

public sealed class HtmlReportTests
{
    private static string Html => HtmlReport.Render(ReportFixture.Read(), ReportFixture.GeneratedAt);

    /// <summary>The report is XHTML-style on purpose, so an XML parser is its well-formedness check.</summary>
    private static XDocument Parse(string html)
    {
        Assert.That(html, Does.StartWith("<!DOCTYPE html>\n"));
        return XDocument.Parse(html["<!DOCTYPE html>\n".Length..]);
    }

    [Test]
    public void Report_is_well_formed()
    {
        var doc = Parse(Html);

        Assert.That(doc.Root!.Name.LocalName, Is.EqualTo("html"));
        Assert.That(doc.Descendants("link").Select(l => ((string?)l.Attribute("rel"), (string?)l.Attribute("href"))),
            Is.EqualTo(new[] { ("stylesheet", "report.css") }));
    }

    [Test]
    public void Nothing_inline_that_a_strict_content_security_policy_blocks()
    {
        // Jenkins serves archived files with "sandbox; default-src 'none'; img-src 'self'; style-src 'self';".
        var doc = Parse(Html);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc.Descendants("style"), Is.Empty);
            Assert.That(doc.Descendants("script"), Is.Empty);
            Assert.That(doc.Descendants().Attributes().Where(a => a.Name.LocalName == "style" || a.Name.LocalName.StartsWith("on", StringComparison.Ordinal)),
                Is.Empty);
            Assert.That(doc.Descendants("a").Select(a => (string)a.Attribute("href")!), Has.None.StartWith("javascript:"));
        }
    }

    [Test]
    public void Top_table_has_the_key_numbers_of_each_test_at_its_highest_concurrency()
    {
        var doc = Parse(Html);
        var table = doc.Descendants("table").Single(t => (string?)t.Attribute("class") == "tests");
        var headers = table.Descendants("th").Select(h => h.Value).ToList();
        var row = table.Descendants("tbody").Single().Elements("tr").Single(r => r.Elements("td").ElementAt(1).Value == ReportFixture.PassedId);
        string Cell(string header) => row.Elements("td").ElementAt(headers.IndexOf(header)).Value;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(headers, Is.SupersetOf(MarkdownSummary.KeyMetrics.Select(k => k.Header).Prepend("c")));
            Assert.That(Cell("c"), Is.EqualTo("4"));
            Assert.That(Cell("output tok/s"), Is.EqualTo("706.97"));
            Assert.That(Cell("median TTFT ms"), Is.EqualTo("24.37"));
            Assert.That(Cell("P99 E2EL ms"), Is.EqualTo("206.62"));
        }
    }

    [Test]
    public void Run_environment_block_names_every_fact_and_says_unknown_for_what_the_run_did_not_record()
    {
        var env = Parse(Html).Descendants("table").Single(t => (string?)t.Attribute("class") == "env");
        var rows = env.Descendants("tr").Select(r => (r.Element("th")!.Value, r.Element("td")!.Value)).ToList();
        Assert.That(rows.Select(r => r.Item1), Is.EqualTo(new[] { "commit", "image", "TRT-LLM version", "GPU", "driver", "nodes" }));
        Assert.That(rows, Has.All.Matches<(string, string)>(r => r.Item2.Length > 0));
        Assert.That(rows.Single(r => r.Item1 == "commit").Item2, Is.EqualTo("4b1d3c0ffee5eed0123456789abcdef012345678"));
        Assert.That(rows.Single(r => r.Item1 == "driver").Item2, Does.StartWith("unknown"));
    }

    [Test]
    public void Report_names_every_test_in_the_table_and_in_a_section()
    {
        var doc = Parse(Html);
        var rows = doc.Descendants("table").Single(t => (string?)t.Attribute("class") == "tests").Descendants("tbody").Single().Elements("tr").ToList();
        var sections = doc.Descendants("section").ToList();

        Assert.That(rows.Select(r => r.Elements("td").ElementAt(1).Value), Is.EqualTo(ReportFixture.AllIds));
        Assert.That(sections.Select(s => s.Element("h2")!.Value), Is.EqualTo(ReportFixture.AllIds
            .Select(id => $"{(id == ReportFixture.PassedId ? "PASS" : id == ReportFixture.TrxOnlyId ? "ERROR" : "FAIL")} {id}")));
    }

    [Test]
    public void One_svg_per_chart_and_five_charts_per_benchmarked_test()
    {
        var run = ReportFixture.Read();
        var doc = Parse(HtmlReport.Render(run, ReportFixture.GeneratedAt));

        foreach (var t in run.Tests)
        {
            var section = doc.Descendants("section").Single(s => (string?)s.Attribute("id") == $"t-{t.TestId}");
            var titles = section.Descendants("svg").Select(s => s.Element("title")!.Value).ToList();
            Assert.That(titles, Is.EqualTo(HtmlReport.Charts(t).Select(c => c.Title)), t.TestId);
            Assert.That(titles, Has.Count.EqualTo(t.Concurrencies.Count > 0 ? 5 : 0), t.TestId);
        }
        Assert.That(AllTitles(doc),
            Is.SupersetOf(new[] { "Throughput vs concurrency", "TTFT vs concurrency", "TPOT vs concurrency", "E2EL vs concurrency", "Throughput vs latency" }));

        static IEnumerable<string> AllTitles(XDocument d) => d.Descendants("svg").Select(s => s.Element("title")!.Value);
    }

    [Test]
    public void Nothing_is_loaded_from_outside_the_results_folder()
    {
        var html = Html;
        var doc = Parse(html);
        var attributes = doc.Descendants().SelectMany(e => e.Attributes()).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(attributes.Where(a => a.Value.Contains("http", StringComparison.OrdinalIgnoreCase)).Select(a => a.ToString()), Is.Empty);
            Assert.That(doc.Descendants("script"), Is.Empty);
            Assert.That(doc.Descendants("link").Select(l => (string?)l.Attribute("href")), Is.EqualTo(new[] { HtmlReport.CssFileName }),
                "only the sibling stylesheet");
            Assert.That(doc.Descendants().Where(e => e.Attribute("src") is not null), Is.Empty);
            Assert.That(html, Does.Not.Contain("url(").And.Not.Contain("@import"));
        }
    }

    [Test]
    public void Links_are_relative_to_the_results_directory()
    {
        var hrefs = Parse(Html).Descendants("a").Select(a => (string)a.Attribute("href")!).ToList();

        Assert.That(hrefs, Does.Contain($"{ReportFixture.ThresholdFailId}/job_21.tar.gz"));
        Assert.That(hrefs, Does.Contain($"{ReportFixture.CrashedId}/job_22.tar.gz"));
        Assert.That(hrefs, Does.Contain($"{ReportFixture.PassedId}/"));
        Assert.That(hrefs, Does.Contain($"#t-{ReportFixture.PassedId}"));
        Assert.That(hrefs.Where(h => h.StartsWith('/') || h.Contains(':', StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Failure_text_is_escaped_and_shown()
    {
        var html = Html;

        Assert.That(html, Does.Contain("RuntimeError: &lt;CUDA&gt; out of memory | tried to allocate 2.00 GiB &amp; failed"));
        Assert.That(html, Does.Not.Contain("<CUDA>"));
        Assert.That(html, Does.Contain("median_ttft_ms &lt;= 50 at c=32: 95.04 failed"));
    }

    [Test]
    public void Baselines_are_drawn_where_results_json_has_them()
    {
        var doc = Parse(Html);
        string[] Legends(string id) => doc.Descendants("section").Single(s => (string?)s.Attribute("id") == $"t-{id}")
            .Descendants("text").Where(t => (string?)t.Attribute("class") == "lg").Select(t => t.Value).ToArray();

        Assert.That(Legends(ReportFixture.ThresholdFailId),
            Is.SupersetOf(new[] { "output baseline", "median TTFT baseline", "P99 TTFT baseline", "median E2EL baseline", "baseline" }));
        Assert.That(Legends(ReportFixture.PassedId).Where(l => l.Contains("baseline", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Chart_text_is_escaped_and_axes_have_ticks()
    {
        var chart = new Chart("a <b> & \"c\"", "x <", "y &", [new ChartSeries("s'1", [new ChartPoint(1, 5), new ChartPoint(64, 20)], 0)],
            [new ChartRule("r<", 10, 1)]) { ConcurrencyAxis = true };
        var svg = XElement.Parse(SvgChart.Render(chart));

        Assert.That(svg.Element("title")!.Value, Is.EqualTo("a <b> & \"c\""));
        Assert.That(svg.Descendants("text").Select(t => t.Value), Does.Contain("x < (log scale)").And.Contain("y &").And.Contain("s'1").And.Contain("r<"));
        Assert.That(svg.Descendants("text").Count(t => (string?)t.Attribute("class") == "tk"), Is.GreaterThanOrEqualTo(4));
        Assert.That(svg.Descendants("circle").Count(), Is.EqualTo(2));
    }

    [Test]
    public void A_single_point_chart_renders()
    {
        var svg = XElement.Parse(SvgChart.Render(new Chart("one", "x", "y", [new ChartSeries("s", [new ChartPoint(4, 0)], 0)], [])));

        Assert.That(svg.Descendants("circle").Single().Attribute("cy")!.Value, Is.Not.EqualTo("NaN"));
        Assert.That(svg.ToString(), Does.Not.Contain("NaN").And.Not.Contain("Infinity"));
    }
}
