using System.Text.Json.Nodes;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Builds the <c>perf_sanity_info</c> documents of one test (reference §6): one per concurrency, in the
/// typed field names the dashboards read. Pure: the same record always gives the same documents.
/// </summary>
public static class OpenSearchDocumentBuilder
{
    public const double DefaultPostMergeThreshold = 0.05;
    public const double DefaultPreMergeThreshold = 0.10;

    public static IReadOnlyList<JsonObject> Build(PublishRecord record)
    {
        var ci = CiContext.From(record.Environment);
        return [.. record.Results.Select(r => Build(record, ci, r))];
    }

    private static JsonObject Build(PublishRecord record, CiContext ci, ConcurrencyMetrics result)
    {
        var doc = new JsonObject
        {
            ["_id"] = DocumentId.For(record.RunId, record.TestId, record.Job.JobId, result.Concurrency),
            ["b_is_baseline"] = false,
            ["b_is_valid"] = true,
            ["s_host_node_name"] = ci.HostNodeName,
            ["s_build_id"] = ci.BuildId,
            ["s_build_url"] = ci.BuildUrl,
            ["s_job_name"] = ci.JobName,
            ["s_job_id"] = ci.JobId,
            ["s_job_url"] = ci.JobUrl,
            ["s_branch"] = ci.Branch,
            ["s_commit"] = ci.Commit,
            ["b_is_post_merge"] = ci.IsPostMerge,
            ["b_is_pr_job"] = !ci.IsPostMerge,
            ["s_trigger_mr_user"] = ci.TriggerMrUser,
            ["s_trigger_mr_link"] = ci.TriggerMrLink,
            ["s_trigger_mr_id"] = ci.TriggerMrId,
            ["s_trigger_mr_commit"] = ci.TriggerMrCommit,
            ["s_artifact_url"] = ci.ArtifactUrl,
            ["s_stage_name"] = ci.StageName,
            ["s_test_list"] = $"disagg_upload-{record.BenchmarkMode}-{record.TestId}",
            ["s_disagg_run_id"] = record.RunId,
            ["s_disagg_test_id"] = record.TestId,
            ["s_slurm_job_id"] = record.Job.JobId ?? "",
            ["s_gpu_type"] = record.GpuType,
            ["s_runtime"] = "multi_node_disagg_server",
            ["s_benchmark_mode"] = record.BenchmarkMode,
            ["s_server_env_var"] = record.ServerEnvVar,
            ["l_num_ctx_servers"] = (long)record.NumCtxServers,
            ["l_num_gen_servers"] = (long)record.NumGenServers,
            ["s_test_case_name"] = $"{record.TestId}-{record.Client.NameFor(result.Concurrency)}",
        };
        if (record.NumCtxServers > 0) AddServer(doc, "ctx", record.CtxServer);
        if (record.NumGenServers > 0) AddServer(doc, "gen", record.GenServer);
        AddClient(doc, record.Client, result.Concurrency);
        foreach (var metric in MetricCatalog.All.Concat(MetricCatalog.Percentiles(result.Metrics.Keys)))
            if (metric.DocumentField is { } field && result.Metrics.TryGetValue(metric.Name, out var value) && double.IsFinite(value))
                doc[field] = value;
        AddRegression(doc, record, record.RegressionFor(result.Concurrency), ci.IsPostMerge);
        return doc;
    }

    /// <summary><c>l_tp</c> → <c>l_ctx_tp</c>: the role goes after the type prefix.</summary>
    public static string RoleKey(string key, string role)
    {
        var underscore = key.IndexOf('_', StringComparison.Ordinal);
        return $"{key[..(underscore + 1)]}{role}_{key[(underscore + 1)..]}";
    }

    private static void AddServer(JsonObject doc, string role, IReadOnlyList<TypedField> fields)
    {
        foreach (var field in fields)
            doc[RoleKey(field.Key, role)] = field.Value switch
            {
                long l => JsonValue.Create(l),
                int i => JsonValue.Create((long)i),
                double d => JsonValue.Create(d),
                bool b => JsonValue.Create(b),
                string s => JsonValue.Create(s),
                var other => throw new ArgumentException($"server field {field.Key} has unsupported value type {other.GetType().Name}"),
            };
    }

    private static void AddClient(JsonObject doc, ClientSettings client, int concurrency)
    {
        doc["s_client_name"] = client.NameFor(concurrency);
        doc["l_concurrency"] = (long)concurrency;
        doc["l_iterations"] = (long)client.Iterations;
        doc["l_isl"] = (long)client.Isl;
        doc["l_osl"] = (long)client.Osl;
        doc["d_random_range_ratio"] = client.RandomRangeRatio;
        doc["s_dataset_file"] = client.DatasetFile;
        doc["s_backend"] = client.Backend;
        doc["b_use_chat_template"] = client.UseChatTemplate;
        doc["b_streaming"] = client.Streaming;
        doc["b_trust_remote_code"] = client.TrustRemoteCode;
        doc["s_client_log_link"] = "";
        doc["s_client_env_vars"] = client.EnvVars;
    }

    /// <summary>Gating metrics of reference §10: token throughputs (+ <c>d_al</c> with speculative decoding); gen_only gates on step time.</summary>
    public static IReadOnlyList<string> GatingMetrics(PublishRecord record) =>
        record.BenchmarkMode == "gen_only"
            ? ["d_mean_gen_worker_per_iter_device_step_time"]
            : record.Client.SpeculativeDecoding
                ? ["d_token_throughput", "d_total_token_throughput", "d_al"]
                : ["d_token_throughput", "d_total_token_throughput"];

    private static void AddRegression(JsonObject doc, PublishRecord record, RegressionOutcome? regression, bool isPostMerge)
    {
        doc["b_is_regression"] = regression?.IsRegression ?? false;
        doc["s_regression_info"] = regression?.Info ?? "";
        if (!isPostMerge) return;
        foreach (var field in GatingMetrics(record))
        {
            var metric = field[2..];
            if (regression?.Baselines.GetValueOrDefault(field) is > 0 and var baseline) doc[$"d_baseline_{metric}"] = baseline;
            doc[$"d_threshold_post_merge_{metric}"] = regression?.PostMergeThresholds.GetValueOrDefault(field) is > 0 and var post ? post : DefaultPostMergeThreshold;
            doc[$"d_threshold_pre_merge_{metric}"] = regression?.PreMergeThresholds.GetValueOrDefault(field) is > 0 and var pre ? pre : DefaultPreMergeThreshold;
        }
    }
}
