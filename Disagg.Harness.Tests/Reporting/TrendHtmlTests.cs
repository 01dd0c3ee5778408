using System.Xml.Linq;
using Disagg.Harness.Cluster;
using Disagg.Harness.Publishing;
using Disagg.Harness.Reporting;
using Disagg.Harness.Tests.Fixtures;
using static Disagg.Harness.Tests.Reporting.HistorySamples;

namespace Disagg.Harness.Tests.Reporting;

/// <summary>
/// trend.html of a test whose throughput steps down in its newest run, with an infra failure before it: the marked-points
/// table lists both, each run is a table row with its commit and image, and headless Chromium under Jenkins' default
/// Content-Security-Policy draws the red regression ring with no policy violation.
/// </summary>
[NonParallelizable]
public sealed class TrendHtmlTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static (IReadOnlyList<HistoryTest> Runs, IReadOnlyList<TrendSeries> Series) Sample()
    {
        double?[] tps = [100, 101, 99, 100, null, 100.5, 70];
        var runs = tps.Select((v, i) => i == 4
            ? Run($"run-{i}", i, passed: false, problems: ["job ended NODE_FAIL on node3"], jobState: "NODE_FAIL")
            : Run($"run-{i}", i, image: $"nvcr.io/nvidia/trtllm:1.{i}")).ToList();
        var values = runs.Select((r, i) => tps[i] is { } v ? Value(r.RunId, "output_token_throughput", v) : null).OfType<HistoryValue>()
            .Concat(runs.Select((r, i) => tps[i] is { } v ? Value(r.RunId, "median_tpot_ms", 1000 / v) : null).OfType<HistoryValue>()).ToList();
        return (runs, TrendAnalysis.Build(runs, values, ["output_token_throughput", "median_tpot_ms"]));
    }

    [Test]
    public void The_page_lists_the_regression_and_the_infra_failure_and_labels_every_run()
    {
        var (runs, series) = Sample();
        var html = TrendHtml.Render("test=t1", runs, series, T0);
        var doc = XDocument.Parse(html.Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));
        var marked = doc.Descendants("table").Single(t => (string?)t.Attribute("class") == "marked").Elements("tr").Skip(1)
            .Select(tr => string.Join("|", tr.Elements("td").Take(5).Select(td => td.Value))).ToList();
        Assert.That(marked, Is.EquivalentTo(new[]
        {
            "Regression|t1|output_token_throughput|4|run-6", "Regression|t1|median_tpot_ms|4|run-6",
            "InfraFailure|t1|output_token_throughput|4|run-4", "InfraFailure|t1|median_tpot_ms|4|run-4",
        }));
        var rows = doc.Descendants("table").Single(t => (string?)t.Attribute("class") == "runs").Elements("tr").Skip(1).ToList();
        Assert.That(rows.Select(r => r.Elements("td").ElementAt(1).Value), Is.EqualTo(runs.Select(r => r.RunId)));
        Assert.That(rows[6].Elements("td").Select(td => td.Value), Has.Some.EqualTo("c06").And.Some.EqualTo("nvcr.io/nvidia/trtllm:1.6"));
        Assert.That(rows[4].Elements("td").Last().Value, Does.StartWith("infra failure: job ended NODE_FAIL"));
        Assert.That(doc.Descendants(Svg + "svg").Count(), Is.EqualTo(2), "one chart per metric");
    }

    [Test]
    [Category("Chromium")]
    public async Task Under_jenkins_csp_chromium_draws_the_regression_ring()
    {
        if (!File.Exists(Chromium))
        {
            var ensure = TestProcesses.Run(new Command("bash", [Path.Combine(FixturePaths.RepoRoot, "scripts", "ensure-chromium.sh")])
                .WithTimeout(TimeSpan.FromMinutes(10)));
            Assert.That(ensure.ExitCode, Is.Zero, ensure.StandardOutput + ensure.StandardError);
        }
        var dir = Directory.CreateTempSubdirectory("disagg-trend-").FullName;
        try
        {
            var (runs, series) = Sample();
            File.WriteAllText(Path.Combine(dir, TrendHtml.FileName), TrendHtml.Render("test=t1", runs, series, T0));
            await using var server = new CspFileServer(dir, CspFileServer.JenkinsDefaultCsp);
            var png = Path.Combine(dir, "trend.png");
            var shot = TestProcesses.Run(new Command(Chromium,
                    ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
                        $"--user-data-dir={Path.Combine(dir, ".chromium")}", "--enable-logging=stderr", "--v=0", $"--screenshot={png}",
                        "--window-size=1400,1000", new Uri(server.BaseUri, TrendHtml.FileName).AbsoluteUri])
                .WithTimeout(TimeSpan.FromMinutes(2)));
            Assert.That(shot.ExitCode, Is.Zero, shot.StandardError);
            var image = PngImage.Load(png);
            int red = 0, magenta = 0;
            for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, b) = image[x, y];
                if (Math.Abs(r - 0xd6) + Math.Abs(g - 0x27) + Math.Abs(b - 0x28) < 40) red++;
                if (Math.Abs(r - 0xe6) + Math.Abs(g - 0x00) + Math.Abs(b - 0x8a) < 40) magenta++;
            }
            TestContext.Out.WriteLine($"trend.png: regression red {red}, infra magenta {magenta}");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(red, Is.GreaterThan(100), "the regression rings (and the marked table's label) are drawn");
                Assert.That(magenta, Is.GreaterThan(50), "the infra-failure crosses are drawn");
                Assert.That(shot.StandardOutput + shot.StandardError, Does.Not.Contain("Content Security Policy"));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
