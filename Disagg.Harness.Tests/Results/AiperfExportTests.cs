using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Results;

/// <summary>aiperf's profile_export_aiperf.json mapped to catalog names, unit conversion, and damaged files giving a clear error.</summary>
public sealed class AiperfExportTests
{
    private const string File = "/ws/concurrency_16/profile_export_aiperf.json";

    private static string Sample() => System.IO.File.ReadAllText(FixturePaths.Fixture("client-outputs", "aiperf", "profile_export_aiperf.json"));

    private static IReadOnlyDictionary<string, double> Parse(string text)
    {
        AiperfExport.TryParse(text, File, out var metrics, out var problem).Should().BeTrue(problem);
        return metrics;
    }

    [Test]
    public void Maps_the_export_onto_the_catalog_names()
    {
        var m = Parse(Sample());
        m.Should().Contain(new Dictionary<string, double>
        {
            ["successful_requests"] = 32, ["failed_requests"] = 1, ["total_requests"] = 33, ["benchmark_duration_s"] = 16.8136,
            ["total_input_tokens"] = 32768, ["total_generated_tokens"] = 4096, ["request_throughput"] = 1.9032, ["output_token_throughput"] = 243.61,
            ["user_throughput"] = 67.4,
            ["mean_ttft_ms"] = 210.4, ["median_ttft_ms"] = 200.5, ["std_ttft_ms"] = 40.2, ["p90_ttft_ms"] = 300.9, ["p95_ttft_ms"] = 350.4,
            ["p99_ttft_ms"] = 385.0,
            ["mean_tpot_ms"] = 14.85, ["median_tpot_ms"] = 14.7, ["p99_tpot_ms"] = 17.6,
            ["mean_itl_ms"] = 14.85, ["median_itl_ms"] = 14.7, ["p99_itl_ms"] = 17.6,
            ["mean_e2el_ms"] = 2104.51, ["median_e2el_ms"] = 2080.33, ["p90_e2el_ms"] = 2390.12, ["p99_e2el_ms"] = 2500.61,
        });
        m["total_token_throughput"].Should().BeApproximately((32768 + 4096) / 16.8136, 1e-9, "derived when aiperf exports no total_token_throughput");
        Disagg.Harness.Configuration.MetricCatalog.Required.Should().OnlyContain(name => m.ContainsKey(name), "a complete export satisfies completeness");
    }

    [Test]
    public void Itl_prefers_inter_chunk_latency_and_units_are_converted()
    {
        var text = Sample()
            .Replace("\"request_throughput\": {", "\"inter_chunk_latency\": {\"unit\": \"sec\", \"avg\": 0.012, \"p50\": 0.011, \"p99\": 0.02},\n" +
                     "  \"request_throughput\": {", StringComparison.Ordinal)
            .Replace("\"unit\": \"sec\",\n    \"avg\": 16.8136", "\"unit\": \"ms\",\n    \"avg\": 16813.6", StringComparison.Ordinal);
        var m = Parse(text);
        m["mean_itl_ms"].Should().BeApproximately(12, 1e-9);
        m["p99_itl_ms"].Should().BeApproximately(20, 1e-9);
        m["mean_tpot_ms"].Should().Be(14.85);
        m["benchmark_duration_s"].Should().BeApproximately(16.8136, 1e-9);
    }

    [Test]
    public void No_error_count_means_no_failed_request()
    {
        var text = Sample().Replace("\"error_request_count\"", "\"not_error_request_count\"", StringComparison.Ordinal);
        Parse(text).Should().Contain(new Dictionary<string, double> { ["failed_requests"] = 0, ["total_requests"] = 32 });
    }

    [TestCase("", "/ws/concurrency_16/profile_export_aiperf.json: empty")]
    [TestCase("{\"request_count\": {\"avg\": 4x}}", "profile_export_aiperf.json:1: not valid JSON (")]
    [TestCase("[1, 2]", "profile_export_aiperf.json:1: expected aiperf's export object")]
    [TestCase("{\"time_to_first_token\": {\"unit\": \"furlongs\", \"avg\": 1}, \"request_count\": {\"avg\": 1}}", "has unit 'furlongs'")]
    [TestCase("{\"request_count\": {\"unit\": \"requests\", \"avg\": \"many\"}}", "metric 'request_count'.avg is \"many\", expected a number")]
    [TestCase("{\"request_count\": 32}", "metric 'request_count' is a JSON number, expected an object")]
    [TestCase("{\"error_request_count\": {\"avg\": 4}}", "no request_count metric; aiperf completed no request")]
    [TestCase("{\"request_count\": {\"avg\": 4}, \"was_cancelled\": true}", "was_cancelled is true")]
    public void A_bad_export_is_a_problem_naming_the_file(string text, string message)
    {
        AiperfExport.TryParse(text, File, out _, out var problem).Should().BeFalse();
        problem.Should().StartWith(File).And.Contain(message);
    }

    [Test]
    public void Every_truncation_of_the_export_is_a_clear_problem_with_its_line()
    {
        var text = Sample();
        var lines = text.Split('\n');
        for (var cut = 1; cut < text.TrimEnd().Length; cut += 7)
        {
            var ok = AiperfExport.TryParse(text[..cut], File, out _, out var problem);
            ok.Should().BeFalse($"a file cut at {cut} is incomplete");
            var line = text[..cut].Count(c => c == '\n') + 1;
            problem.Should().StartWith($"{File}:").And.Contain("rerun it", $"cut at {cut}");
            problem.Should().MatchRegex(@"^\S+:(\d+): truncated \(", $"cut at {cut}");
            var reported = problem[(File.Length + 1)..problem.IndexOf(": ", File.Length, StringComparison.Ordinal)];
            int.Parse(reported, System.Globalization.CultureInfo.InvariantCulture)
                .Should().BeInRange(1, Math.Min(line + 1, lines.Length));
        }
    }

    [Test]
    public void Random_corruption_never_throws()
    {
        var text = Sample();
        var random = new Random(14);
        for (var i = 0; i < 300; i++)
        {
            var chars = text.ToCharArray();
            for (var k = 0; k < 1 + random.Next(4); k++) chars[random.Next(chars.Length)] = "{}[]\":,0x-e. \n"[random.Next(14)];
            var ok = AiperfExport.TryParse(new string(chars), File, out var metrics, out var problem);
            if (ok) metrics.Should().ContainKey("successful_requests");
            else problem.Should().StartWith(File);
        }
    }
}
