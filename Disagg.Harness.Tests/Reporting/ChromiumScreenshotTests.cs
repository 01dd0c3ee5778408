using Disagg.Harness.Cluster;
using Disagg.Harness.Reporting;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Reporting;

/// <summary>
/// Opens the HTML report of the fixture run in headless Chromium (installed by scripts/ensure-chromium.sh when missing)
/// as Jenkins serves it: over HTTP with Jenkins' default Content-Security-Policy header (no inline style or script). It
/// takes a 1400x2000 screenshot and checks it shows badges, colours and charts; the rendered DOM is checked for every test
/// name, and Chromium's console for policy violations. The same page with its stylesheet inlined is the control: under
/// the policy it loses its colours, so the check would catch a report that relies on inline CSS.
/// </summary>
[Category("Chromium")]
[NonParallelizable]
public sealed class ChromiumScreenshotTests
{
    private const string Chromium = "/usr/bin/chromium";
    private string _dir = "";
    private CspFileServer? _server;

    [OneTimeSetUp]
    public void EnsureChromiumAndWriteReport()
    {
        if (!File.Exists(Chromium))
        {
            var script = Path.Combine(FixturePaths.RepoRoot, "scripts", "ensure-chromium.sh");
            var (code, output) = Run("bash", [script], TimeSpan.FromMinutes(10));
            Assert.That(code, Is.Zero, $"{script} failed; install chromium (apt-get install -y --no-install-recommends chromium):\n{output}");
        }
        _dir = ReportFixture.CopyToTemp();
        ReportGenerator.WriteAll(_dir, null, ReportFixture.GeneratedAt, out _);
        // The control page: the pre-CSP report, stylesheet inlined.
        var html = File.ReadAllText(Path.Combine(_dir, HtmlReport.FileName));
        File.WriteAllText(Path.Combine(_dir, InlineStyled),
            html.Replace($"<link rel=\"stylesheet\" href=\"{HtmlReport.CssFileName}\" />", $"<style>\n{HtmlReport.Css}\n</style>", StringComparison.Ordinal));
        _server = new CspFileServer(_dir, CspFileServer.JenkinsDefaultCsp);
    }

    [OneTimeTearDown]
    public async Task Cleanup()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private const string InlineStyled = "report-inline-style.html";

    private string Url(string file) => new Uri(_server!.BaseUri, file).AbsoluteUri;

    private sealed record Pixels(int Total, int NonBackground, int Colours, int SeriesBlue, int SeriesRed, int PassGreen, int Grey);

    private (Pixels Pixels, string Console) Screenshot(string file, string png)
    {
        var (code, output) = Run(Chromium, [.. CommonFlags(), "--enable-logging=stderr", "--v=0", $"--screenshot={png}", "--window-size=1400,2000", Url(file)],
            TimeSpan.FromMinutes(2));
        Assert.That(code, Is.Zero, output);
        var image = PngImage.Load(png);
        Assert.That((image.Width, image.Height), Is.EqualTo((1400, 2000)));
        int nonBackground = 0, seriesBlue = 0, seriesRed = 0, passGreen = 0, grey = 0, total = 0;
        var colours = new HashSet<int>();
        for (var y = 0; y < image.Height; y += 2)
        for (var x = 0; x < image.Width; x += 2)
        {
            var (r, g, b) = image[x, y];
            total++;
            colours.Add((r << 16) | (g << 8) | b);
            if (Math.Abs(r - 0xfa) + Math.Abs(g - 0xfa) + Math.Abs(b - 0xfa) > 30 && (r, g, b) != (255, 255, 255)) nonBackground++;
            if (Near(r, g, b, 0x1f, 0x6f, 0xb4)) seriesBlue++;
            if (Near(r, g, b, 0xd6, 0x27, 0x28)) seriesRed++;
            if (Near(r, g, b, 0x2a, 0x9d, 0x3a)) passGreen++;
            if ((r, g, b) == (0xf0, 0xf0, 0xf0)) grey++; // exactly the th background: not the page's #fafafa nor the grid's #efefef
        }
        var pixels = new Pixels(total, nonBackground, colours.Count, seriesBlue, seriesRed, passGreen, grey);
        TestContext.Out.WriteLine($"{file}: {pixels}");
        return (pixels, output);
    }

    [Test]
    public void Under_jenkins_csp_the_screenshot_shows_badges_colours_and_charts()
    {
        var png = Path.Combine(_dir, "report.png");
        var (p, console) = Screenshot(HtmlReport.FileName, png);

        Assert.That(new FileInfo(png).Length, Is.GreaterThan(30_000), "a blank 1400x2000 page compresses to a few KB");
        TestContext.AddTestAttachment(png, "headless Chromium screenshot of report.html under Jenkins' default CSP");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(p.Colours, Is.GreaterThan(50), "a rendered page with text and charts has many colours");
            Assert.That(p.NonBackground, Is.GreaterThan(p.Total / 50), "more than 2% of the page is drawn");
            Assert.That(p.SeriesBlue, Is.GreaterThan(200), "the first series colour of the charts (and links) is on screen");
            Assert.That(p.SeriesRed, Is.GreaterThan(200), "the second series colour and FAIL badges are on screen");
            Assert.That(p.PassGreen, Is.GreaterThan(50), "the PASS badge and the passing test's border are green (report.css applied)");
            Assert.That(p.Grey, Is.GreaterThan(10_000), "table headers have their grey background (report.css applied)");
            Assert.That(console, Does.Not.Contain("Content Security Policy"), "Chromium reported a policy violation");
        }
    }

    [Test]
    public void Control_the_same_page_with_inline_css_loses_its_colours_under_the_policy()
    {
        var (p, console) = Screenshot(InlineStyled, Path.Combine(_dir, "inline.png"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(p.PassGreen, Is.LessThan(20), "no badge colours: the policy blocked the inline stylesheet");
            Assert.That(p.Grey, Is.LessThan(2_000), "no table header backgrounds (with report.css: tens of thousands)");
            Assert.That(console, Does.Contain("Content Security Policy"), "Chromium reports the blocked inline style");
        }
    }

    [Test]
    public void Rendered_page_contains_every_test_name_and_chart()
    {
        var (code, dom) = Run(Chromium, [.. CommonFlags(), "--dump-dom", Url(HtmlReport.FileName)], TimeSpan.FromMinutes(2));

        Assert.That(code, Is.Zero, dom);
        foreach (var id in ReportFixture.AllIds) Assert.That(dom, Does.Contain(id));
        Assert.That(CountOf(dom, "<svg "), Is.EqualTo(10), "five charts for each of the two benchmarked tests");
    }

    private IEnumerable<string> CommonFlags() =>
        ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
            $"--user-data-dir={Path.Combine(_dir, ".chromium")}"];

    private static bool Near(int r, int g, int b, int r0, int g0, int b0) => Math.Abs(r - r0) + Math.Abs(g - g0) + Math.Abs(b - b0) < 40;

    private static int CountOf(string text, string what)
    {
        int count = 0, at = 0;
        while ((at = text.IndexOf(what, at, StringComparison.Ordinal)) >= 0) { count++; at += what.Length; }
        return count;
    }

    private static (int Code, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var result = TestProcesses.Run(new Command(file, [.. args]).WithTimeout(timeout));
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }
}
