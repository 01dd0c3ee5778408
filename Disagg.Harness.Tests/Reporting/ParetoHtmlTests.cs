using System.Xml.Linq;
using Disagg.Harness.Cluster;
using Disagg.Harness.Reporting;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Reporting;

/// <summary>
/// pareto.html of two simulator configurations: their points follow the simulator's latency model (Disagg.Sim's
/// LatencyModel: a decode step costs SIM_DECODE_STEP_MS + SIM_DECODE_MS_PER_SEQ × batch), so per-user throughput falls and
/// per-GPU throughput rises with concurrency, and the two configurations' frontiers cross. The page is checked as XML
/// (two frontiers, a matched-interactivity table with interpolated values) and in headless Chromium under Jenkins' default
/// Content-Security-Policy, like the run report (<see cref="ChromiumScreenshotTests"/>): the PNG is decoded and must show
/// both frontier colours and the table's header grey, with no policy violation on the console.
/// </summary>
[Category("Chromium")]
[NonParallelizable]
public sealed class ParetoHtmlTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Three runs of each configuration at six concurrencies, 2 GPUs each, with a little run-to-run noise.</summary>
    public static ParetoFamily Family()
    {
        var points = new List<ParetoPoint>();
        foreach (var (name, stepMs, perSeqMs) in new[] { ("sim-step4-seq0.6", 4.0, 0.6), ("sim-step2.5-seq1.0", 2.5, 1.0) })
            for (var run = 0; run < 3; run++)
                foreach (var c in new[] { 1, 2, 4, 8, 16, 32 })
                {
                    var noise = 1 + ((run * 7 + c) % 5 - 2) * 0.004;
                    var userTps = 1000 / (stepMs + perSeqMs * c) * noise;
                    points.Add(new ParetoPoint(name, $"run-{name}-{run}", $"disagg_perf_{name}", c, userTps, userTps * c / 2));
                }
        return new ParetoFamily("sim-tiny 128/32 gb200", points);
    }

    [Test]
    public void Two_frontiers_and_the_matched_table_with_interpolated_values()
    {
        var html = ParetoHtml.Render("model=sim-tiny", "test", [Family()], HistorySamples.T0);
        var doc = XDocument.Parse(html.Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));
        Assert.That(doc.Descendants(Svg + "polyline").Count(e => (string?)e.Attribute("class") == "frontier"), Is.EqualTo(2));
        var rows = doc.Descendants("table").Single(t => (string?)t.Attribute("class") == "matched").Elements("tr").Skip(1).ToList();
        Assert.That(rows, Has.Count.GreaterThanOrEqualTo(4), "the frontiers overlap over most of their range");
        var family = Family();
        var a = ParetoFrontier.Of(family.Points.Where(p => p.Group == "sim-step2.5-seq1.0"));
        var b = ParetoFrontier.Of(family.Points.Where(p => p.Group == "sim-step4-seq0.6"));
        var first = rows[0].Elements("td").Select(td => td.Value).ToList();
        var x = double.Parse(first[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(first[1], Is.EqualTo(ReportFormat.Number(ParetoFrontier.At(a, x)!.Value)), "column A is A's frontier interpolated at x");
        Assert.That(first[2], Is.EqualTo(ReportFormat.Number(ParetoFrontier.At(b, x)!.Value)));
    }

    [Test]
    public async Task Under_jenkins_csp_chromium_draws_both_frontiers_and_the_table()
    {
        EnsureChromium();
        var dir = Directory.CreateTempSubdirectory("disagg-pareto-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, ParetoHtml.FileName), ParetoHtml.Render("model=sim-tiny", "test", [Family()], HistorySamples.T0));
            await using var server = new CspFileServer(dir, CspFileServer.JenkinsDefaultCsp);
            var url = new Uri(server.BaseUri, ParetoHtml.FileName).AbsoluteUri;
            var png = Path.Combine(dir, "pareto.png");
            string[] flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
                $"--user-data-dir={Path.Combine(dir, ".chromium")}"];
            var shot = TestProcesses.Run(new Command(Chromium,
                    [.. flags, "--enable-logging=stderr", "--v=0", $"--screenshot={png}", "--window-size=1000,1000", url])
                .WithTimeout(TimeSpan.FromMinutes(2)));
            Assert.That(shot.ExitCode, Is.Zero, shot.StandardError);
            var kept = Path.Combine(TestContext.CurrentContext.WorkDirectory, "pareto.png");
            File.Copy(png, kept, overwrite: true);
            TestContext.AddTestAttachment(kept, "headless Chromium screenshot of pareto.html under Jenkins' default CSP");
            var image = PngImage.Load(png);
            int blue = 0, red = 0, grey = 0;
            for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, b) = image[x, y];
                if (Near(r, g, b, 0x1f, 0x6f, 0xb4)) blue++;
                if (Near(r, g, b, 0xd6, 0x27, 0x28)) red++;
                if ((r, g, b) == (0xf0, 0xf0, 0xf0)) grey++;
            }
            TestContext.Out.WriteLine($"pareto.png: blue {blue}, red {red}, header grey {grey}");
            var dom = TestProcesses.Run(new Command(Chromium, [.. flags, "--dump-dom", url]).WithTimeout(TimeSpan.FromMinutes(2)));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(blue, Is.GreaterThan(400), "the first frontier (line and points) is drawn");
                Assert.That(red, Is.GreaterThan(400), "the second frontier is drawn");
                Assert.That(grey, Is.GreaterThan(1000), "the tables' header rows have their grey background (bgcolor, allowed by the policy)");
                Assert.That(shot.StandardOutput + shot.StandardError, Does.Not.Contain("Content Security Policy"), "Chromium reported a policy violation");
                Assert.That(CountOf(dom.StandardOutput, "class=\"frontier\""), Is.EqualTo(2));
                Assert.That(dom.StandardOutput, Does.Contain("class=\"matched\""));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void EnsureChromium()
    {
        if (File.Exists(Chromium)) return;
        var script = Path.Combine(FixturePaths.RepoRoot, "scripts", "ensure-chromium.sh");
        var result = TestProcesses.Run(new Command("bash", [script]).WithTimeout(TimeSpan.FromMinutes(10)));
        Assert.That(result.ExitCode, Is.Zero, $"{script} failed; install chromium:\n{result.StandardOutput}{result.StandardError}");
    }

    private static bool Near(int r, int g, int b, int r0, int g0, int b0) => Math.Abs(r - r0) + Math.Abs(g - g0) + Math.Abs(b - b0) < 40;

    private static int CountOf(string text, string what)
    {
        int count = 0, at = 0;
        while ((at = text.IndexOf(what, at, StringComparison.Ordinal)) >= 0) { count++; at += what.Length; }
        return count;
    }
}
