using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Results;

/// <summary>
/// A use_aiperf job's results: each concurrency's export bound to the driver's lines of the benchmark log, so completeness,
/// thresholds and documents see the same blocks as for the default client; a missing or damaged export is a named problem.
/// </summary>
public sealed class AiperfResultsTests
{
    private const string Log = "/ws/benchmark.log";

    private static string Export(int requests) =>
        File.ReadAllText(FixturePaths.Fixture("client-outputs", "aiperf", "profile_export_aiperf.json"))
            .Replace("\"avg\": 32.0", $"\"avg\": {requests}.0", StringComparison.Ordinal)
            .Replace("\"error_request_count\"", "\"no_errors\"", StringComparison.Ordinal);

    private static string DriverLog(params int[] done) => string.Join('\n',
    [
        "Hostname: node1, Port: 8000", "Starting aiperf benchmark...",
        "Benchmarking with concurrency 1 ... 2 requests, duration 2400s", "aiperf output ...",
        .. done.Contains(1) ? ["Benchmark with concurrency 1 done"] : Array.Empty<string>(),
        "Benchmarking with concurrency 4 ... 8 requests, duration 2400s", "aiperf output ...",
        .. done.Contains(4) ? ["Benchmark with concurrency 4 done"] : Array.Empty<string>(),
        "",
    ]);

    private static Dictionary<int, (string, string?)> Exports(string? c1, string? c4) => new()
    {
        [1] = ("/ws/concurrency_1/profile_export_aiperf.json", c1), [4] = ("/ws/concurrency_4/profile_export_aiperf.json", c4),
    };

    [Test]
    public void Blocks_come_from_the_exports_and_bind_to_the_driver_lines()
    {
        var log = AiperfResults.Build(DriverLog(1, 4), Log, Exports(Export(2), Export(8)));
        log.Problems.Should().BeEmpty();
        log.Blocks.Select(b => (b.Concurrency, b.Prompts, b.StartLine, b.EndLine, b.DoneLineSeen, b["successful_requests"]))
            .Should().Equal((1, 2, 3, 5, true, 2), (4, 8, 6, 8, true, 8));
        ResultCompleteness.Check(log, [1, 4], multiRound: 2).Should().BeEmpty();
    }

    [Test]
    public void A_missing_export_after_a_started_concurrency_names_the_file_and_the_log_line()
    {
        var log = AiperfResults.Build(DriverLog(1), Log, Exports(Export(2), null));
        log.Problems.Should().ContainSingle().Which.Should()
            .Be("/ws/concurrency_4/profile_export_aiperf.json: missing; /ws/benchmark.log:6 started concurrency 4 but aiperf left no " +
                "profile_export_aiperf.json (it failed or was stopped; its output is in the benchmark log)");
        ResultCompleteness.Check(log, [1, 4], 2).Should().Contain(p => p.Contains("no result block for concurrency 4", StringComparison.Ordinal));
    }

    [Test]
    public void A_truncated_export_is_a_problem_and_no_block()
    {
        var text = Export(8);
        var log = AiperfResults.Build(DriverLog(1, 4), Log, Exports(Export(2), text[..(text.Length / 2)]));
        log.Blocks.Select(b => b.Concurrency).Should().Equal(1);
        log.Problems.Should().ContainSingle().Which.Should().MatchRegex(@"^/ws/concurrency_4/profile_export_aiperf\.json:\d+: truncated");
    }

    [Test]
    public void Fewer_requests_than_concurrency_times_multi_round_fail_completeness()
    {
        var log = AiperfResults.Build(DriverLog(1, 4), Log, Exports(Export(2), Export(5)));
        ResultCompleteness.Check(log, [1, 4], 2).Should().ContainSingle().Which.Should().Contain("5 successful requests, expected 8");
    }

    [Test]
    public async Task The_collector_reads_a_use_aiperf_job_folder_through_the_workspace()
    {
        var dir = Directory.CreateTempSubdirectory("disagg-aiperf-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "benchmark.log"), DriverLog(1, 4));
            foreach (var (c, n) in new[] { (1, 2), (4, 8) })
            {
                Directory.CreateDirectory(Path.Combine(dir, $"concurrency_{c}"));
                await File.WriteAllTextAsync(Path.Combine(dir, $"concurrency_{c}", "profile_export_aiperf.json"), Export(n));
            }
            var config = Rendering.AiperfBenchmarkScriptTests.Aiperf(t => t.Replace("multi_round: 2", "multi_round: 2", StringComparison.Ordinal));
            var job = await JobCollector.CollectAsync(JobWorkspace.Local(dir), config, completed: true, CancellationToken.None);
            job.Benchmark!.Blocks.Select(b => (b.Concurrency, b["total_requests"])).Should().Equal((1, 2), (4, 8));
            job.Benchmark.File.Should().Be(Path.Combine(dir, "benchmark.log"));
            ResultCompleteness.Check(job.Benchmark, job.ExpectedConcurrencies, job.MultiRound).Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
