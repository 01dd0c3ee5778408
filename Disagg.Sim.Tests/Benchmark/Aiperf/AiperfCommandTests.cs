using System.Text.Json;
using Disagg.Sim.Benchmark.Aiperf;
using Disagg.Sim.Cli;
using Disagg.Sim.Common;
using Disagg.Sim.Dataset;
using Disagg.Sim.Tests.Support;

namespace Disagg.Sim.Tests.Benchmark.Aiperf;

/// <summary>
/// The <c>aiperf</c> verb's grammar (exactly run_benchmark_aiperf.sh's flags), its mooncake_trace reader, and the numbers and
/// shape of the export it writes, computed from known per-request records.
/// </summary>
[TestFixture]
public sealed class AiperfCommandTests
{
    /// <summary>The flags run_benchmark_aiperf.sh passes for a mooncake_trace input file, in its order.</summary>
    private static readonly string[] Upstream =
    [
        "profile", "-m", "sim-model", "--tokenizer", "sim-model", "--tokenizer-trust-remote-code", "--url", "http://127.0.0.1:8000",
        "--endpoint-type", "chat", "--streaming", "--ui", "simple", "--input-file", "/data/trace.jsonl", "--custom-dataset-type", "mooncake_trace",
        "--artifact-dir", "/out/concurrency_4", "--concurrency", "4", "--concurrency-ramp-duration", "60", "--benchmark-duration", "4800",
        "--benchmark-grace-period", "60", "--request-count", "16", "--workers-max", "200", "--request-timeout-seconds", "1200",
        "--profile-export-level", "records", "--extra-inputs", "ignore_eos:true", "--record-processors", "8",
    ];

    [Test]
    public void Accepts_exactly_the_upstream_flag_set()
    {
        var options = AiperfCommand.Read(ArgParser.Parse(new AiperfCommand().Spec, Upstream));
        Assert.That((options.Model, options.Concurrency, options.RequestCount, options.BenchmarkDurationS, options.GracePeriodS, options.IgnoreEos,
                options.InputFile, options.ArtifactDir),
            Is.EqualTo(("sim-model", 4, (int?)16, 4800.0, 60.0, true, "/data/trace.jsonl", "/out/concurrency_4")));
    }

    [TestCase("--public-dataset", "sharegpt", "unrecognized argument '--public-dataset' for 'aiperf'")]
    [TestCase("--endpoint-type", "completions", "argument --endpoint-type: invalid choice")]
    [TestCase("--custom-dataset-type", "single_turn", "argument --custom-dataset-type: invalid choice")]
    public void Rejects_flags_and_values_upstream_does_not_pass(string flag, string value, string message)
    {
        var ex = Assert.Throws<UsageException>(() => ArgParser.Parse(new AiperfCommand().Spec, [.. Upstream, flag, value]));
        Assert.That(ex!.Message, Does.StartWith(message));
    }

    [Test]
    public void Requires_the_profile_subcommand_and_streaming()
    {
        var spec = new AiperfCommand().Spec;
        Assert.That(() => AiperfCommand.Read(ArgParser.Parse(spec, Upstream[1..])),
            Throws.TypeOf<UsageException>().With.Message.Contains("expected the subcommand 'profile'"));
        Assert.That(() => AiperfCommand.Read(ArgParser.Parse(spec, Upstream.Where(a => a != "--streaming").ToArray())),
            Throws.TypeOf<UsageException>().With.Message.Contains("--streaming is required"));
    }

    [Test]
    public void Gen_dataset_lines_read_back_as_the_trace_aiperf_takes()
    {
        using var dir = new TempDir();
        var path = dir.Write("trace.jsonl", string.Join('\n', Enumerable.Range(0, 3).Select(i => MooncakeTraceLine.Render(i, 1100, 32))) + "\n");
        var trace = MooncakeTrace.Read(path);
        Assert.That(trace.Select(e => (e.InputLength, e.OutputLength, e.HashIds.Count, e.TimestampMs)),
            Is.EqualTo(new[] { (1100, 32, 3, (double?)0), (1100, 32, 3, 100), (1100, 32, 3, 200) }));
        Assert.That(trace[1].HashIds, Is.EqualTo(new long[] { 3, 4, 5 }), "no two lines share a prefix block");
    }

    [TestCase("{\"input_length\": 10}\n", "output_length is missing")]
    [TestCase("{\"input_length\": 0, \"output_length\": 4}\n", "input_length must be an integer >= 1, got 0")]
    [TestCase("{\"input_length\": 10, \"output_length\": 4\n", "not valid JSON")]
    [TestCase("[1, 2]\n", "expected a JSON object")]
    public void A_bad_trace_line_names_file_and_line(string badLine, string message)
    {
        using var dir = new TempDir();
        var path = dir.Write("trace.jsonl", "{\"input_length\": 10, \"output_length\": 4}\n" + badLine);
        var ex = Assert.Throws<ConfigException>(() => MooncakeTrace.Read(path));
        Assert.That(ex!.Message, Does.StartWith($"{path}:2: ").And.Contain(message));
    }

    [Test]
    public void Summary_follows_aiperf_definitions()
    {
        AiperfRecord Ok(int i, double start, double ttft, double latency, int osl) =>
            new(i, start, start + (latency / 1000), 100) { Success = true, TtftMs = ttft, LatencyMs = latency, OutputLength = osl };
        var records = new[]
        {
            Ok(0, 0.0, 100, 1100, 11), Ok(1, 0.5, 200, 2200, 21), Ok(2, 1.0, 300, 1300, 11),
            new AiperfRecord(3, 1.5, 2.0, 100) { ErrorType = "HTTPError", ErrorCode = 500, ErrorMessage = "Internal Server Error" },
        };
        var summary = AiperfSummary.Of(records);
        double Avg(string tag) => summary.Stats.Single(s => s.Tag == tag).Avg;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(summary.DurationS, Is.EqualTo(2.7).Within(1e-9), "first start 0 s to last end 2.7 s");
            Assert.That(Avg("inter_token_latency"), Is.EqualTo(100).Within(1e-9), "(latency - ttft) / (osl - 1) = 100 ms for every request");
            Assert.That(Avg("output_token_throughput_per_user"), Is.EqualTo(10).Within(1e-9));
            Assert.That(Avg("request_count"), Is.EqualTo(3));
            Assert.That(Avg("error_request_count"), Is.EqualTo(1));
            Assert.That(Avg("output_token_throughput"), Is.EqualTo(43 / 2.7).Within(1e-9));
            Assert.That(Avg("total_token_throughput"), Is.EqualTo(343 / 2.7).Within(1e-9));
            Assert.That(summary.Stats.Single(s => s.Tag == "time_to_first_token").Field("p50"), Is.EqualTo(200));
            Assert.That(summary.Errors, Is.EqualTo(new[] { ("HTTPError", "Internal Server Error", 500, 1) }));
        }
    }

    [Test]
    public void Export_has_aiperf_shape()
    {
        var records = new[] { new AiperfRecord(0, 0, 1, 64) { Success = true, TtftMs = 50, LatencyMs = 1000, OutputLength = 20 } };
        var options = AiperfCommand.Read(ArgParser.Parse(new AiperfCommand().Spec, Upstream));
        using var json = JsonDocument.Parse(AiperfExportWriter.Json(AiperfSummary.Of(records), options, false, DateTime.UnixEpoch, DateTime.UnixEpoch));
        var root = json.RootElement;
        var ttft = root.GetProperty("time_to_first_token");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ttft.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
                { "unit", "avg", "min", "max", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "std", "count", "sum" }));
            Assert.That(ttft.GetProperty("unit").GetString(), Is.EqualTo("ms"));
            Assert.That(root.GetProperty("request_throughput").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "unit", "avg" }));
            Assert.That(root.GetProperty("request_count").GetProperty("avg").GetDouble(), Is.EqualTo(1));
            Assert.That(root.TryGetProperty("error_request_count", out _), Is.False, "no errors, no error count");
            Assert.That(root.GetProperty("was_cancelled").GetBoolean(), Is.False);
        }
    }
}
