using System.Globalization;
using System.Text.Json;
using Disagg.Sim.Tests.Support;

namespace Disagg.Sim.Tests.Integration;

/// <summary>The <c>aiperf</c> verb against a healthy CTX + GEN + disagg-server cluster: a trace written by gen-dataset, chat streaming.</summary>
[TestFixture]
[NonParallelizable]
public sealed class AiperfClusterTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task An_unreachable_url_is_one_error_line_naming_it(CancellationToken cancellationToken)
    {
        using var dir = new TempDir();
        var trace = dir.Write("trace.jsonl", "{\"input_length\": 8, \"output_length\": 2}\n");
        await using var aiperf = SimProcess.Start(["aiperf", "profile", "-m", "m", "--url", "http://127.0.0.1:1", "--streaming", "--input-file", trace,
            "--artifact-dir", Path.Combine(dir.Path, "out")]);
        var exit = await aiperf.WaitForExitAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(aiperf.Stderr.Trim(), Does.StartWith("aiperf: error: cannot reach http://127.0.0.1:1 (--url): "));
            Assert.That(File.Exists(Path.Combine(dir.Path, "out", "profile_export_aiperf.json")), Is.False, "no export: the driver's check fails the job");
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Profile_run_writes_aiperf_exports_and_prints_the_simple_summary(CancellationToken cancellationToken)
    {
        await using var cluster = await SimCluster.StartAsync(new Dictionary<string, string> { ["SIM_LOAD_MS"] = "200" }, null, cancellationToken);
        var trace = Path.Combine(cluster.Directory, "trace.jsonl");
        var artifacts = Path.Combine(cluster.Directory, "concurrency_2");
        await using (var gen = SimProcess.Start(["gen-dataset", "--format", "mooncake_trace", "--output", trace, "--num", "3", "--input-len", "48",
                         "--output-len", "12"]))
        {
            Assert.That(await gen.WaitForExitAsync(cancellationToken), Is.Zero, gen.Stderr);
        }

        await using var aiperf = SimProcess.Start([
            "aiperf", "profile", "-m", "sim-model", "--tokenizer", "sim-model", "--tokenizer-trust-remote-code",
            "--url", "http://127.0.0.1:" + cluster.ServerPort.ToString(CultureInfo.InvariantCulture), "--endpoint-type", "chat", "--streaming",
            "--ui", "simple", "--input-file", trace, "--custom-dataset-type", "mooncake_trace", "--artifact-dir", artifacts, "--concurrency", "2",
            "--concurrency-ramp-duration", "60", "--benchmark-duration", "1200", "--benchmark-grace-period", "60", "--request-count", "8",
            "--workers-max", "200", "--request-timeout-seconds", "1200", "--profile-export-level", "records", "--extra-inputs", "ignore_eos:true",
            "--record-processors", "8",
        ]);
        var exit = await aiperf.WaitForExitAsync(cancellationToken);

        await TestContext.Out.WriteLineAsync(aiperf.Stdout);
        using var export = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(artifacts, "profile_export_aiperf.json"), cancellationToken));
        var root = export.RootElement;
        double Avg(string tag) => root.GetProperty(tag).GetProperty("avg").GetDouble();
        var records = await File.ReadAllLinesAsync(Path.Combine(artifacts, "profile_export.jsonl"), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, aiperf.Stderr);
            Assert.That(Avg("request_count"), Is.EqualTo(8), "the request count cycles the 3-entry trace");
            Assert.That(root.TryGetProperty("error_request_count", out _), Is.False);
            Assert.That(Avg("total_isl"), Is.EqualTo(8 * 48));
            Assert.That(Avg("total_output_tokens"), Is.EqualTo(8 * 12), "ignore_eos:true: every request generates output_length tokens");
            Assert.That(Avg("time_to_first_token"), Is.GreaterThan(0));
            Assert.That(Avg("inter_token_latency"), Is.GreaterThan(0));
            Assert.That(Avg("request_latency"), Is.GreaterThan(Avg("time_to_first_token")));
            Assert.That(records, Has.Length.EqualTo(8));
            Assert.That(File.ReadAllText(Path.Combine(artifacts, "profile_export_aiperf.csv")), Does.StartWith("Metric,avg,min,max,p1,"));
            Assert.That(aiperf.Stdout, Does.Contain("NVIDIA AIPerf | LLM Metrics").And.Contain("Time to First Token (ms)")
                .And.Contain("JSON Export: " + Path.Combine(artifacts, "profile_export_aiperf.json")));
        }
    }
}
