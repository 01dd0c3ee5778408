using System.Text.Json;
using System.Text.Json.Nodes;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Pipeline;
using Disagg.Harness.Publishing;
using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// Issue 20 acceptance 1: for two configs (e2e post-merge, and gen_only with MTP pre-merge), the documents Disagg builds equal,
/// field by field, the documents a perf-sanity run of the same config and results writes. The expected documents in
/// Fixtures/upstream/*.expected.json were written from TensorRT-LLM's test_perf_sanity.py and perf_regression_utils.py
/// (Fixtures/upstream/README.md names the versions and functions). Only Disagg's extra fields and the listed deliberate
/// differences may differ.
/// </summary>
public sealed class UpstreamDocumentTests
{
    /// <summary>Fields whose value differs on purpose; docs/upstream-conformance.md ("OpenSearch documents") says why.</summary>
    private static readonly IReadOnlyDictionary<string, string> DeliberateValues = new Dictionary<string, string>
    {
        ["_id"] = "Disagg hashes the result's identity (run, test, job, concurrency) so outbox retries overwrite, not duplicate",
        ["b_warmup"] = "Disagg's client sends no warm-up request (it passes --no-test-input), and the field records what ran",
    };

    private static readonly DateTimeOffset Now = new(2026, 9, 14, 6, 0, 0, TimeSpan.Zero);

    [TestCase("e2e", "gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX", null)]
    [TestCase("gen_only", "gb200-deepseek-r1-fp4_8k1k_ctx1_dep4_gen1_dep8_eplb0_mtp3_ccb-NIXL", BenchmarkMode.GenOnly)]
    public async Task Documents_equal_the_upstream_documents_field_by_field(string name, string stem, BenchmarkMode? labelMode)
    {
        var actual = await BuildAsync(name, stem, labelMode);
        var text = File.ReadAllText(FixturePaths.Fixture("upstream", $"{name}.expected.json"));
        var expected = JsonNode.Parse(text)!.AsArray().Select(n => n!.AsObject()).ToList();
        Assert.That(actual, Has.Count.EqualTo(expected.Count), "one document per concurrency");
        var differences = new List<string>();
        for (var i = 0; i < expected.Count; i++)
        {
            var ours = actual[i];
            var theirs = expected[i];
            foreach (var (key, value) in theirs)
            {
                if (!ours.TryGetPropertyValue(key, out var mine)) differences.Add($"[{i}] {key}: missing (upstream {value?.ToJsonString()})");
                else if (DeliberateValues.ContainsKey(key)) continue;
                else if (mine?.ToJsonString() != value?.ToJsonString())
                    differences.Add($"[{i}] {key}: {mine?.ToJsonString()} (upstream {value?.ToJsonString()})");
            }
            foreach (var (key, value) in ours)
                if (!theirs.ContainsKey(key) && !OpenSearchDocumentBuilder.DisaggFields.Contains(key)
                    && !OpenSearchDocumentBuilder.DisaggMetricFields.Contains(key))
                    differences.Add($"[{i}] {key}: {value?.ToJsonString()} is not an upstream field nor a listed Disagg extra");
        }
        Assert.That(differences, Is.Empty, string.Join("\n", differences));
    }

    [Test]
    public async Task The_deliberate_differences_are_exactly_the_listed_ones()
    {
        var e2e = (await BuildAsync("e2e", "gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX", null))[0];
        var expected = JsonNode.Parse(File.ReadAllText(FixturePaths.Fixture("upstream", "e2e.expected.json")))!.AsArray()[0]!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e2e["_id"]!.GetValue<string>(), Does.Match("^[0-9a-f]{32}$"));
            Assert.That(expected["_id"]!.GetValue<string>(), Is.Empty, "upstream hashes the document after this point; the value is not reproducible");
            Assert.That(e2e["b_warmup"]!.GetValue<bool>(), Is.False);
            Assert.That(expected["b_warmup"]!.GetValue<bool>(), Is.True, "an e2e perf-sanity client warms up");
            Assert.That(OpenSearchDocumentBuilder.DisaggFields.Select(f => e2e[f]!.GetValue<string>()),
                Is.EqualTo(new[] { "upstream-run", "disagg_perf_gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX", "4711", "", "" }));
            Assert.That(DocumentTypeCheck.Check(DocumentJson.Serialize([e2e])), Is.Empty);
        }
    }

    /// <summary>
    /// The documents of one fixture as a live run builds them: GPU type from the job's system facts, the history read (none
    /// found), the judged blocks (gen_only step times attached by the judge), and the CI environment of the fixture.
    /// </summary>
    private static async Task<List<JsonObject>> BuildAsync(string name, string stem, BenchmarkMode? labelMode)
    {
        var config = ConfigLoader.Load(FixturePaths.Fixture("upstream", stem + ".yaml"));
        if (labelMode is { } mode) config = PerfCase.ForLabelMode(config, mode);
        var env = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(FixturePaths.Fixture("upstream", $"{name}.env.json")))!;
        var gpu = GpuTypeResolver.Resolve(env, File.ReadAllText(FixturePaths.Fixture("upstream", "system_facts.txt")));
        var judged = JsonNode.Parse(File.ReadAllText(FixturePaths.Fixture("upstream", $"{name}.results.json")))!.AsArray()
            .Select(r => new ConcurrencyResult(r!["concurrency"]!.GetValue<int>(), null,
                r["metrics"]!.AsObject().ToDictionary(m => m.Key, m => m.Value!.GetValue<double>()), false, 1, 40, true))
            .ToList();
        Assert.That(judged.Select(b => b.Concurrency), Is.EqualTo(ExpectedConcurrencies.Of(config)), "the fixture results are what the config runs");
        var parsed = judged.Select(b => b with
        {
            Metrics = b.Metrics.Where(m => !m.Key.EndsWith("_gen_worker_per_iter_device_step_time", StringComparison.Ordinal)).ToDictionary(),
        }).ToList();
        var testId = $"disagg_perf_{stem}";
        var context = RegressionContextFactory.For(testId, config, env, Now, gpu);
        var verdict = await RegressionRule.EvaluateAsync(judged, new InMemoryHistorySource([]), config.Regression, context, CancellationToken.None);
        var start = Now.AddHours(-1);
        var run = new JudgedRun(testId, "/results/upstream-run/" + testId, "4711",
            new Disagg.Harness.Cluster.JobOutcome("4711", "COMPLETED", "0:0", "0:0", "None", "gb200-r07-n[1-2]", ""),
            new BenchmarkLog("benchmark.log", parsed, null, []), [], [], [new PhaseEvent(start, "submitted"), new PhaseEvent(Now, "finished")],
            TimeSpan.FromHours(1))
        {
            Blocks = judged,
            Regression = verdict.Findings,
            RegressionCases = verdict.Cases,
            GpuType = gpu,
        };
        var documents = OpenSearchDocumentBuilder.Build(PublishRecordFactory.Create(run, config, "upstream-run", env));
        return [.. JsonNode.Parse(DocumentJson.Serialize(documents))!.AsArray().Select(n => n!.AsObject())];
    }
}
