using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Results;

/// <summary>
/// Every fixture log (Fixtures/logs/README.md says where each comes from) is parsed, checked for
/// completeness and rendered; the rendering is compared with Fixtures/logs/golden/&lt;log&gt;.txt.
/// </summary>
public sealed class LogGoldenTests
{
    private static readonly object[] Cases =
    [
        new object[] { "sample-6_bench.log", new[] { 16, 64 }, 8 },
        new object[] { "multi-warmup-unprefixed-crlf_bench.log", new[] { 16, 64 }, 8 },
        new object[] { "mtp-goodput-energy_bench.log", new[] { 32 }, 4 },
        new object[] { "failed-requests_bench.log", new[] { 16, 64 }, 8 },
        new object[] { "truncated_bench.log", new[] { 16, 64 }, 8 },
        new object[] { "missing-concurrency_bench.log", new[] { 16, 64 }, 8 },
        new object[] { "missing-metric_bench.log", new[] { 16, 64 }, 8 },
    ];

    [TestCaseSource(nameof(Cases))]
    public void Parse_and_completeness_match_the_golden_rendering(string logName, int[] expected, int multiRound)
    {
        var log = BenchmarkLogParser.Parse(File.ReadAllText(FixturePaths.Fixture("logs", logName)), logName);
        var problems = ResultCompleteness.Check(log, expected, multiRound);
        FixturePaths.AssertGolden(BenchmarkLogText.Render(log, problems), "logs", "golden", Path.ChangeExtension(logName, ".txt"));
    }

    [Test]
    public void The_clean_logs_have_no_problem_at_all()
    {
        foreach (var (name, expected, rounds) in new[]
        {
            ("sample-6_bench.log", new[] { 16, 64 }, 8),
            ("multi-warmup-unprefixed-crlf_bench.log", new[] { 16, 64 }, 8),
            ("mtp-goodput-energy_bench.log", new[] { 32 }, 4)
        })
        {
            var log = BenchmarkLogParser.Parse(File.ReadAllText(FixturePaths.Fixture("logs", name)), name);
            Assert.That(ResultCompleteness.Check(log, expected, rounds), Is.Empty, name);
        }
    }

    [Test]
    public void Optional_sections_are_read()
    {
        var block = BenchmarkLogParser.Parse(File.ReadAllText(FixturePaths.Fixture("logs", "mtp-goodput-energy_bench.log")), "x").Blocks.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(block["request_goodput"], Is.EqualTo(2.97));
            Assert.That(block["mean_avg_decoded_tokens_per_iter"], Is.EqualTo(2.61));
            Assert.That(block["p99_avg_decoded_tokens_per_iter"], Is.EqualTo(3.05));
            Assert.That(block["total_energy_j"], Is.EqualTo(214385.1234));
            Assert.That(block["output_tps_per_w"], Is.EqualTo(0.6114));
            Assert.That(block["mean_tpot_ms"], Is.EqualTo(9.97), "noise from another rank inside the block is ignored");
        }
    }

    [Test]
    public void Python_non_finite_values_are_read_not_thrown()
    {
        var text = File.ReadAllText(FixturePaths.Fixture("logs", "sample-6_bench.log"))
            .Replace("Std Dev TTFT (ms):                       38.94     ", "Std Dev TTFT (ms):                       nan       ", StringComparison.Ordinal)
            .Replace("Std Dev ITL (ms):                        2.87      ", "Std Dev ITL (ms):                        inf       ", StringComparison.Ordinal);
        var block = BenchmarkLogParser.Parse(text, "x").Blocks[0];
        Assert.That(block["std_ttft_ms"], Is.NaN);
        Assert.That(block["std_itl_ms"], Is.EqualTo(double.PositiveInfinity));
    }
}
