using Disagg.Harness.Cluster;
using Disagg.Harness.Reporting;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Reporting;

/// <summary>
/// Opens the HTML report of the fixture run in headless Chromium (installed by scripts/ensure-chromium.sh when missing),
/// takes a 1400x2000 screenshot and checks it shows a page with charts; the rendered DOM is checked for every test name.
/// </summary>
[Category("Chromium")]
[NonParallelizable]
public sealed class ChromiumScreenshotTests
{
    private const string Chromium = "/usr/bin/chromium";
    private string _dir = "";
    private string _report = "";

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
        _report = Path.Combine(_dir, HtmlReport.FileName);
    }

    [OneTimeTearDown]
    public void Cleanup()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void Screenshot_of_the_report_shows_charts()
    {
        var png = Path.Combine(_dir, "report.png");
        var (code, output) = Run(Chromium, [.. CommonFlags(), $"--screenshot={png}", "--window-size=1400,2000", new Uri(_report).AbsoluteUri], TimeSpan.FromMinutes(2));

        Assert.That(code, Is.Zero, output);
        Assert.That(new FileInfo(png).Length, Is.GreaterThan(30_000), "a blank 1400x2000 page compresses to a few KB");
        TestContext.AddTestAttachment(png, "headless Chromium screenshot of report.html");
        var image = PngImage.Load(png);
        Assert.That((image.Width, image.Height), Is.EqualTo((1400, 2000)));

        int nonBackground = 0, seriesBlue = 0, seriesRed = 0, total = 0;
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
        }
        TestContext.Out.WriteLine($"sampled {total} px: {nonBackground} not background, {colours.Count} colours, {seriesBlue} series-blue, {seriesRed} series-red");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(colours.Count, Is.GreaterThan(50), "a rendered page with text and charts has many colours");
            Assert.That(nonBackground, Is.GreaterThan(total / 50), "more than 2% of the page is drawn");
            Assert.That(seriesBlue, Is.GreaterThan(200), "the first series colour of the charts (and links) is on screen");
            Assert.That(seriesRed, Is.GreaterThan(200), "the second series colour and FAIL badges are on screen");
        }
    }

    [Test]
    public void Rendered_page_contains_every_test_name_and_chart()
    {
        var (code, dom) = Run(Chromium, [.. CommonFlags(), "--dump-dom", new Uri(_report).AbsoluteUri], TimeSpan.FromMinutes(2));

        Assert.That(code, Is.Zero, dom);
        foreach (var id in ReportFixture.AllIds) Assert.That(dom, Does.Contain(id));
        Assert.That(CountOf(dom, "<svg "), Is.EqualTo(10), "five charts for each of the two benchmarked tests");
    }

    private IEnumerable<string> CommonFlags() =>
        ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1", $"--user-data-dir={Path.Combine(_dir, ".chromium")}"];

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
