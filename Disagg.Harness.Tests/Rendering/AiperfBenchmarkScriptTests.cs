using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// run_benchmark_aiperf.sh rendered for <c>benchmark.use_aiperf: true</c>: upstream's flag set per listed concurrency (not
/// multiplied by the gen servers), the export check, perf_metrics.json, the staged client of the profile, and the selection
/// rules of the config.
/// </summary>
public sealed class AiperfBenchmarkScriptTests
{
    private const string Workspace = "/results/run/disagg_perf_aiperf";

    public static DisaggConfig Aiperf(Func<string, string>? edit = null)
    {
        var text = File.ReadAllText(FixturePaths.Fixture("configs", "aiperf.yaml"));
        var path = Path.Combine(Path.GetTempPath(), $"disagg-aiperf-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, edit is null ? text : edit(text));
        try
        {
            return ConfigLoader.Load(path) with { SourceFile = "configs/disagg/perf/aiperf.yaml" };
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ClusterProfile Profile(string name) => ClusterProfileLoader.Load(Path.Combine(FixturePaths.RepoRoot, "clusters", name), "/repo");

    private static string Script(DisaggConfig config, ClusterProfile profile) =>
        JobRenderer.Render(config, profile, new RenderContext("disagg_perf_aiperf", Workspace, config.SourceFile))[JobFiles.BenchmarkScript].Content;

    [Test]
    public void Local_job_matches_golden() =>
        FixturePaths.AssertGolden(Script(Aiperf(), Profile("local.yaml")), "golden", "aiperf", JobFiles.BenchmarkScript);

    [Test]
    public void Runs_aiperf_profile_with_upstreams_flags_per_listed_concurrency()
    {
        var config = Aiperf(t => t.Replace("num_gen_servers: 1", "num_gen_servers: 2", StringComparison.Ordinal));
        var script = Script(config, Profile("example-real.yaml"));
        script.Should().Contain("AIPERF=(aiperf)").And.NotContain("pip install");
        script.Should().Contain("for concurrency in 1 4; do").And.NotContain("value * 2", "aiperf runs the listed values as they are");
        ExpectedConcurrencies.Of(config).Should().Equal(1, 4);
        script.Should().Contain("request_count=$((concurrency * 2))").And.Contain("benchmark_duration=2400");
        var call = string.Join(' ', script.Split('\n').SkipWhile(l => !l.Contains("\"${AIPERF[@]}\" profile", StringComparison.Ordinal)).Take(4)
            .Select(l => l.Trim().TrimEnd('\\').Trim()));
        call.Should().Be("\"${AIPERF[@]}\" profile -m \"$MODEL\" --tokenizer \"$MODEL\" --tokenizer-trust-remote-code --url \"http://${HOST}:${PORT}\" " +
                         "--endpoint-type chat --streaming --ui simple \"${dataset_args[@]}\" --artifact-dir \"$result_dir\" " +
                         "--concurrency \"$concurrency\" --concurrency-ramp-duration 60 \"${stop_args[@]}\" --workers-max 200 " +
                         "--request-timeout-seconds 1200 --profile-export-level records --extra-inputs ignore_eos:true --record-processors 8");
        script.Should().Contain("dataset_args+=(--input-file \"$DATASET\" --custom-dataset-type mooncake_trace)")
            .And.Contain("stop_args+=(--request-count \"$request_count\")")
            .And.Contain("--benchmark-grace-period \"${AIPERF_BENCHMARK_GRACE_PERIOD:-60}\"")
            .And.Contain("DATASET=/datasets/sim-tiny-128-32.mooncake.jsonl")
            .And.Contain("echo \"AIPerf did not produce profile_export_aiperf.json\" >&2")
            .And.Contain("curl -s \"http://${HOST}:${PORT}/perf_metrics\" > \"$WORKSPACE/perf_metrics.json\"");
        script.Should().Contain("phase \"concurrency ${concurrency} started\"").And.Contain("echo \"Benchmark with concurrency ${concurrency} done\"");
    }

    [Test]
    public void A_profile_without_the_aiperf_command_is_a_named_error()
    {
        var profile = Profile("local.yaml");
        profile = profile with { Commands = profile.Commands with { AiperfClient = null } };
        var e = Assert.Throws<ConfigException>(() => Script(Aiperf(), profile))!;
        e.Errors.Single().Message.Should().Contain("has no commands.benchmark_client_aiperf").And.Contain("never pip-installs");
    }

    [Test]
    public void Aiperf_and_the_sa_client_are_mutually_exclusive()
    {
        var e = Assert.Throws<ConfigException>(() =>
            Aiperf(t => t.Replace("use_nv_sa_benchmark: false", "use_nv_sa_benchmark: true", StringComparison.Ordinal)))!;
        var error = e.Errors.Single(x => x.KeyPath == "benchmark.use_aiperf");
        error.Line.Should().Be(Line("use_aiperf: true"));
        error.Message.Should().Contain("use_nv_sa_benchmark selects the SA client");
    }

    [Test]
    public void Aiperf_needs_a_trace_not_the_random_dataset()
    {
        var e = Assert.Throws<ConfigException>(() => Aiperf(t => t.Replace("dataset_file: /datasets/sim-tiny-128-32.mooncake.jsonl", "dataset_file: \"\"",
            StringComparison.Ordinal)))!;
        var error = e.Errors.Single(x => x.KeyPath == "benchmark.dataset_file");
        error.Line.Should().Be(Line("dataset_file: /datasets"));
        error.Message.Should().Contain("mooncake_trace").And.Contain("gen-dataset --format mooncake_trace");
    }

    [Test]
    public void The_driver_runs_aiperf_per_concurrency_and_stops_when_an_export_is_missing()
    {
        var dir = Directory.CreateTempSubdirectory("disagg-aiperf-driver-").FullName;
        try
        {
            var stub = Path.Combine(dir, "aiperf stub.sh");
            File.WriteAllText(stub, """
                #!/bin/bash
                out=""; c=""; prev=""
                for a in "$@"; do [ "$prev" = --artifact-dir ] && out="$a"; [ "$prev" = --concurrency ] && c="$a"; prev="$a"; done
                printf '%s\n' "$@" > "$STUB_LOG/args_$c"
                if [ "${STUB_SKIP:-}" != "$c" ]; then echo '{"request_count": {"avg": 1}}' > "$out/profile_export_aiperf.json"; fi
                """);
            var local = Profile("local.yaml");
            var profile = local with
            {
                Commands = local.Commands with { AiperfClient = "bash " + Disagg.Harness.Common.BashQuote.Quote(stub), BenchmarkClient = "true" },
            };
            var trace = Path.Combine(dir, "my trace's.jsonl");
            var config = Aiperf(t => t.Replace("/datasets/sim-tiny-128-32.mooncake.jsonl", "\"" + trace + "\"",
                StringComparison.Ordinal));
            var script = JobRenderer.Render(config, profile, new RenderContext("t", dir, "c.yaml"))[JobFiles.BenchmarkScript].Content;
            (int Code, string Out, string Err) Run(Dictionary<string, string> env) =>
                BashSnippet.Run("set -- 127.0.0.1 9\n" + script, new Dictionary<string, string>(env) { ["STUB_LOG"] = dir });

            var ok = Run([]);
            ok.Code.Should().Be(0, ok.Err);
            File.ReadAllLines(Path.Combine(dir, "args_4")).Should().Equal(
                "profile", "-m", "sim-tiny", "--tokenizer", "sim-tiny", "--tokenizer-trust-remote-code", "--url", "http://127.0.0.1:9",
                "--endpoint-type", "chat", "--streaming", "--ui", "simple", "--input-file", trace, "--custom-dataset-type", "mooncake_trace",
                "--artifact-dir", Path.Combine(dir, "concurrency_4"), "--concurrency", "4", "--concurrency-ramp-duration", "60",
                "--benchmark-duration", "2400", "--benchmark-grace-period", "60", "--request-count", "8", "--workers-max", "200",
                "--request-timeout-seconds", "1200", "--profile-export-level", "records", "--extra-inputs", "ignore_eos:true", "--record-processors", "8");
            ok.Out.Should().Contain("Benchmark with concurrency 4 done").And.Contain("perf_metrics");

            var publicSet = Run(new() { ["AIPERF_PUBLIC_DATASET"] = "sharegpt", ["AIPERF_BENCHMARK_GRACE_PERIOD"] = "5" });
            publicSet.Code.Should().Be(0, publicSet.Err);
            var args = File.ReadAllLines(Path.Combine(dir, "args_1"));
            args.Should().ContainInConsecutiveOrder("--public-dataset", "sharegpt").And.ContainInConsecutiveOrder("--benchmark-grace-period", "5")
                .And.NotContain("--input-file").And.NotContain("--request-count");

            foreach (var c in new[] { 1, 4 }) Directory.Delete(Path.Combine(dir, $"concurrency_{c}"), recursive: true);
            var missing = Run(new() { ["STUB_SKIP"] = "4" });
            missing.Code.Should().Be(1);
            missing.Err.Should().Contain("AIPerf did not produce profile_export_aiperf.json");
            missing.Out.Should().Contain("Benchmark with concurrency 1 done").And.NotContain("Benchmark with concurrency 4 done");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Documents_name_the_client_that_produced_the_numbers()
    {
        string Client(DisaggConfig config) => Publishing.PublishingSamples.Record(config: config).Client.BenchmarkClient;
        Client(Aiperf()).Should().Be("aiperf");
        Client(Aiperf(t => t.Replace("  use_aiperf: true\n", "", StringComparison.Ordinal)
            .Replace("dataset_file: /datasets/sim-tiny-128-32.mooncake.jsonl", "dataset_file: \"\"", StringComparison.Ordinal))).Should().BeEmpty();
    }

    private static int Line(string text) =>
        File.ReadAllLines(FixturePaths.Fixture("configs", "aiperf.yaml")).Select((l, i) => (l, i))
            .First(x => x.l.Contains(text, StringComparison.Ordinal)).i + 1;
}
