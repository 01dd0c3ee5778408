using System.Text.Json;
using System.Text.Json.Nodes;
using Disagg.Harness.Configuration;
using Disagg.Harness.Publishing;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Publishing;

public sealed class DocumentBuilderTests
{
    private static string Golden(string name) => Path.Combine(FixturePaths.RepoRoot, "Disagg.Harness.Tests", "Publishing", "Golden", name);

    private static void AssertGolden(string actual, string name)
    {
        var path = Golden(name);
        if (Environment.GetEnvironmentVariable("DISAGG_UPDATE_GOLDEN") == "1" || !File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            if (Environment.GetEnvironmentVariable("DISAGG_UPDATE_GOLDEN") != "1")
                Assert.Fail($"golden file {path} did not exist; it was written now. Review it and rerun.");
            return;
        }
        Assert.That(actual, Is.EqualTo(File.ReadAllText(path)), $"documents differ from golden file {path}; rerun with DISAGG_UPDATE_GOLDEN=1 to accept");
    }

    [Test]
    public void Jenkins_post_merge_documents_match_golden() =>
        AssertGolden(DocumentJson.Serialize(OpenSearchDocumentBuilder.Build(PublishingSamples.Record()), indented: true) + "\n", "jenkins-post-merge.json");

    [Test]
    public void GitLab_merge_request_documents_match_golden() =>
        AssertGolden(
            DocumentJson.Serialize(OpenSearchDocumentBuilder.Build(PublishingSamples.Record(PublishingSamples.GitLabMergeRequest)), indented: true) + "\n",
            "gitlab-merge-request.json");

    [Test]
    public void Built_documents_pass_the_type_check() =>
        Assert.That(DocumentTypeCheck.Check(PublishingSamples.Batch()), Is.Empty);

    [Test]
    public void One_document_per_concurrency_with_role_prefixed_server_fields_and_every_metric()
    {
        var docs = OpenSearchDocumentBuilder.Build(PublishingSamples.Record());
        Assert.That(docs.Select(d => d["l_concurrency"]!.GetValue<long>()), Is.EqualTo(new long[] { 1, 4 }));
        var doc = docs[1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc["s_test_case_name"]!.GetValue<string>(), Is.EqualTo("e2e-smoke-con4_iter4_isl128_osl32"));
            Assert.That(doc["s_test_list"]!.GetValue<string>(), Is.EqualTo("disagg_upload-e2e-smoke"));
            Assert.That(doc["s_ctx_server_name"]!.GetValue<string>(), Is.EqualTo("e2e-smoke"));
            Assert.That(doc["s_gen_server_name"]!.GetValue<string>(), Is.EqualTo("e2e-smoke"));
            Assert.That(doc["s_disagg_test_id"]!.GetValue<string>(), Is.EqualTo(PublishingSamples.TestId), "Disagg's own id stays in its extra field");
            Assert.That(doc["l_ctx_max_batch_size"]!.GetValue<long>(), Is.EqualTo(8));
            Assert.That(doc["l_gen_max_batch_size"]!.GetValue<long>(), Is.EqualTo(16));
            Assert.That(doc["s_gen_cache_transceiver_backend"]!.GetValue<string>(), Is.EqualTo("UCX"));
            Assert.That(doc["b_ctx_enable_cuda_graph"]!.GetValue<bool>(), Is.False);
            Assert.That(doc["b_gen_enable_cuda_graph"]!.GetValue<bool>(), Is.True);
            Assert.That(doc["b_trust_remote_code"]!.GetValue<bool>(), Is.True, "the client trusts remote code");
            Assert.That(doc["b_gen_trust_remote_code"]!.GetValue<bool>(), Is.False);
            Assert.That(doc["s_gpu_type"]!.GetValue<string>(), Is.EqualTo("gb200"));
            Assert.That(doc["b_is_post_merge"]!.GetValue<bool>(), Is.True);
            Assert.That(doc["s_job_id"]!.GetValue<string>(), Is.EqualTo("2911"));
            Assert.That(doc["s_branch"]!.GetValue<string>(), Is.EqualTo("main"));
            foreach (var field in DocumentMetrics.Client)
                Assert.That(doc.ContainsKey(field), field);
            Assert.That(doc.ContainsKey("d_al"), Is.False, "no speculative decoding: no acceptance length");
            Assert.That(doc.ContainsKey("d_mean_gen_worker_per_iter_device_step_time"), Is.False, "e2e: no step times");
            Assert.That(doc["b_is_regression"]!.GetValue<bool>(), Is.False);
            Assert.That(doc.ContainsKey("s_regression_info"), Is.False, "history was not read: no regression fields");
            Assert.That(doc.ContainsKey("d_baseline_token_throughput"), Is.False);
        }
    }

    [Test]
    public void A_judged_post_merge_document_without_history_writes_no_baseline_and_the_default_thresholds()
    {
        var doc = OpenSearchDocumentBuilder.Build(PublishingSamples.Record() with { RegressionCases = PublishingSamples.NoHistory() })[1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc["s_regression_info"]!.GetValue<string>(), Is.Empty);
            foreach (var field in DocumentMetrics.Fields)
            {
                var suffix = DocumentMetrics.Suffix(field);
                Assert.That(doc.ContainsKey($"d_baseline_{suffix}"), Is.False, field);
                Assert.That(doc[$"d_threshold_post_merge_{suffix}"]!.GetValue<double>(), Is.EqualTo(0.05), field);
                Assert.That(doc[$"d_threshold_pre_merge_{suffix}"]!.GetValue<double>(), Is.EqualTo(0.10), field);
            }
            Assert.That(DocumentTypeCheck.Check(DocumentJson.Serialize([doc])), Is.Empty);
        }
    }

    [Test]
    public void Doubles_keep_a_decimal_point() =>
        Assert.That(PublishingSamples.Batch(), Does.Contain("\"d_seq_throughput\":5.0,").And.Contain("\"l_concurrency\":1,"));

    [Test]
    public void No_environment_value_other_than_the_documented_context_reaches_a_document() =>
        Assert.That(PublishingSamples.Batch(), Does.Not.Contain("must-never-appear"));

    [Test]
    public void Document_ids_are_deterministic_and_distinct_per_concurrency_and_run()
    {
        string[] Ids(string run) => [.. OpenSearchDocumentBuilder.Build(PublishingSamples.Record(runId: run)).Select(d => d["_id"]!.GetValue<string>())];
        var first = Ids("r1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids("r1"), Is.EqualTo(first));
            Assert.That(Ids("r1").Distinct().Count(), Is.EqualTo(2));
            Assert.That(Ids("r2"), Is.Not.EqualTo(Ids("r1")));
        }
    }

    [Test]
    public void Outside_ci_the_run_is_pre_merge_on_an_unknown_branch_and_gpu_unsupported()
    {
        var doc = OpenSearchDocumentBuilder.Build(PublishingSamples.Record(new Dictionary<string, string>()))[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc["b_is_post_merge"]!.GetValue<bool>(), Is.False);
            Assert.That(doc["b_is_pr_job"]!.GetValue<bool>(), Is.True);
            Assert.That(doc["s_branch"]!.GetValue<string>(), Is.Empty, "an unknown branch is never guessed");
            Assert.That(doc["s_gpu_type"]!.GetValue<string>(), Is.EqualTo("unsupported"));
            Assert.That(doc.ContainsKey("d_threshold_pre_merge_token_throughput"), Is.False);
        }
    }

    [TestCase("l_tp", "ctx", "l_ctx_tp")]
    [TestCase("s_model_name", "gen", "s_gen_model_name")]
    [TestCase("d_free_gpu_memory_fraction", "gen", "d_gen_free_gpu_memory_fraction")]
    public void Role_goes_after_the_type_prefix(string key, string role, string expected) =>
        Assert.That(OpenSearchDocumentBuilder.RoleKey(key, role), Is.EqualTo(expected));

    [Test]
    public void Resolved_config_json_keeps_worker_trees() =>
        Assert.That(
            JsonNode.Parse(PublishingSamples.Record().ResolvedConfigJson)!["worker_config"]!["gen"]!["cuda_graph_config"]!["max_batch_size"]!.GetValue<long>(),
            Is.EqualTo(16));

    [Test]
    public void Format_double_round_trips() =>
        Assert.That(new[] { 5.0, 0.1, -2.5, 1e21, 123456789.0 }.Select(DocumentJson.FormatDouble),
            Is.EqualTo(new[] { "5.0", "0.1", "-2.5", "1E+21", "123456789.0" }));

    [Test]
    public void Values_read_back_from_json_keep_their_text()
    {
        var batch = PublishingSamples.Batch();
        var reparsed = JsonSerializer.Deserialize<List<JsonObject>>(batch)!;
        Assert.That(DocumentJson.Serialize(reparsed), Is.EqualTo(batch));
    }
}
