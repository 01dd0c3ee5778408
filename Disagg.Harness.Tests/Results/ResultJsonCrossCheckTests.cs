using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Results;

public sealed class ResultJsonCrossCheckTests
{
    private static (BenchmarkLog Log, Dictionary<int, string> Json) Job(string name, params int[] concurrencies)
    {
        var dir = FixturePaths.Fixture("jobs", name);
        var log = BenchmarkLogParser.Parse(File.ReadAllText(Path.Combine(dir, "benchmark.log")), "benchmark.log");
        var json = concurrencies.ToDictionary(c => c, c => File.ReadAllText(Path.Combine(dir, $"concurrency_{c}", "result.json")));
        return (log, json);
    }

    [TestCase("sample-e2e", new[] { 16, 64 })]
    [TestCase("genonly-mtp", new[] { 32 })]
    public void Consistent_job_folders_agree_within_rounding(string job, int[] concurrencies)
    {
        var (log, json) = Job(job, concurrencies);
        Assert.That(ResultJsonCrossCheck.Check(log, json), Is.Empty);
    }

    [Test]
    public void A_disagreement_names_both_values_and_both_files()
    {
        var (log, json) = Job("sample-e2e", 16, 64);
        json[64] = json[64].Replace("\"median_ttft_ms\": 389.3977", "\"median_ttft_ms\": 312.5", StringComparison.Ordinal);
        Assert.That(ResultJsonCrossCheck.Check(log, json), Is.EqualTo(new[]
        {
            "concurrency 64: median_ttft_ms disagrees beyond rounding: 389.4 in benchmark.log (line 94, 'Median TTFT (ms):') "
                + "vs 312.5 in concurrency_64/result.json (key 'median_ttft_ms'); the log and result.json should come from the same client run",
        }));
    }

    [Test]
    public void Rounding_to_the_printed_digit_is_not_a_disagreement()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ResultJsonCrossCheck.Agrees(1254.04, 1254.0449, 2), Is.True);
            Assert.That(ResultJsonCrossCheck.Agrees(1254.04, 1254.0351, 2), Is.True);
            Assert.That(ResultJsonCrossCheck.Agrees(1254.04, 1254.0551, 2), Is.False);
            Assert.That(ResultJsonCrossCheck.Agrees(128, 127, 0), Is.False);
            Assert.That(ResultJsonCrossCheck.Agrees(0.6114, 0.61138, 4), Is.True);
        }
    }

    [Test]
    public void Failed_count_concurrency_mismatch_bad_json_and_orphan_files_are_reported()
    {
        var (log, json) = Job("sample-e2e", 16, 64);
        json[16] = json[16].Replace("\"completed\": 128", "\"completed\": 120", StringComparison.Ordinal)
            .Replace("\"max_concurrency\": 16", "\"max_concurrency\": 8", StringComparison.Ordinal);
        json[64] = "{\"date\": \"20250611-101811\", \"duration\": ";
        json[128] = "{}";
        var problems = ResultJsonCrossCheck.Check(log, json);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problems, Has.Some.StartsWith("concurrency 16: max_concurrency=8 in concurrency_16/result.json"));
            Assert.That(problems, Has.Some.StartsWith("concurrency 16: failed requests disagree: 0 in benchmark.log (line 53) vs num_prompts - completed = 8"));
            Assert.That(problems, Has.Some.StartsWith("concurrency 16: successful_requests disagrees beyond rounding: 128 in benchmark.log"));
            Assert.That(problems, Has.Some.StartsWith("concurrency_64/result.json: not valid JSON"));
            Assert.That(problems,
                Has.Some.StartsWith("concurrency_128/result.json: result.json exists for concurrency 128 but benchmark.log has no result block"));
        }
    }

    [Test]
    public void Python_NaN_and_Infinity_tokens_do_not_break_the_check()
    {
        var (log, json) = Job("sample-e2e", 16);
        json[16] = json[16].Replace("\"std_ttft_ms\": 38.9431", "\"std_ttft_ms\": NaN", StringComparison.Ordinal)
            .Replace("\"burstiness\": 1.0", "\"burstiness\": Infinity, \"note\": \"NaN in a string stays\"", StringComparison.Ordinal);
        Assert.That(ResultJsonCrossCheck.Check(log, json), Is.Empty);
    }
}
