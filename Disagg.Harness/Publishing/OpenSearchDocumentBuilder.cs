using System.Text.Json.Nodes;
using Disagg.Harness.Configuration;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Builds the <c>perf_sanity_info</c> documents of one test, one per concurrency, with the fields, names and values a
/// perf-sanity run of the same config writes, so dashboards and baselines continue across the switch (see
/// docs/upstream-conformance.md). Disagg adds <c>s_disagg_run_id</c>, <c>s_disagg_test_id</c>, <c>s_slurm_job_id</c>,
/// <c>s_failure_class</c> (infrastructure/product/configuration, empty for a pass) and <c>s_cluster</c> (the profile name),
/// and its <c>_id</c> is a hash of the result's identity (<see cref="DocumentId"/>). Pure: the same record always gives
/// the same documents.
/// </summary>
public static class OpenSearchDocumentBuilder
{
    public const double DefaultPostMergeThreshold = RegressionSettings.DefaultPostMerge;
    public const double DefaultPreMergeThreshold = RegressionSettings.DefaultPreMerge;

    /// <summary>Fields only Disagg writes; every other field is one a perf-sanity document has.</summary>
    public static readonly IReadOnlyList<string> DisaggFields =
        ["s_disagg_run_id", "s_disagg_test_id", "s_slurm_job_id", "s_failure_class", "s_cluster"];

    /// <summary>Numeric fields only Disagg writes: the per-GPU output throughput and its divisor (<see cref="PerGpuThroughput"/>).</summary>
    public static readonly IReadOnlyList<string> DisaggMetricFields = [PerGpuThroughput.Field, PerGpuThroughput.GpusField];

    public static IReadOnlyList<JsonObject> Build(PublishRecord record)
    {
        var ci = CiContext.From(record.Environment);
        return [.. record.Results.Select(r => Build(record, ci, r))];
    }

    private static JsonObject Build(PublishRecord record, CiContext ci, ConcurrencyMetrics result)
    {
        var doc = new JsonObject
        {
            ["s_gpu_type"] = record.GpuType,
            ["s_runtime"] = HistoryIdentity.DisaggRuntime,
            ["s_benchmark_mode"] = record.BenchmarkMode,
            ["s_server_env_var"] = record.ServerEnvVar,
            ["l_num_ctx_servers"] = (long)record.NumCtxServers,
            ["l_num_gen_servers"] = (long)record.NumGenServers,
        };
        if (record.NumCtxServers > 0) AddServer(doc, "ctx", record.CtxServer);
        if (record.NumGenServers > 0) AddServer(doc, "gen", record.GenServer);
        AddClient(doc, record.Client, result.Concurrency);
        doc["s_test_case_name"] = record.TestCaseName(result.Concurrency);
        AddMetrics(doc, record, result);
        AddSamples(doc, result);
        StartupFields.Add(doc, record.Startup, "ctx", record.NumCtxServers);
        StartupFields.Add(doc, record.Startup, "gen", record.NumGenServers);
        AddJob(doc, ci, DocumentId.For(record.RunId, record.TestId, record.Job.JobId, result.Concurrency));
        doc["s_stage_name"] = ci.StageName;
        doc["s_test_list"] = record.TestList;
        AddRegression(doc, record.RegressionFor(result.Concurrency), ci.IsPostMerge);
        doc["s_disagg_run_id"] = record.RunId;
        doc["s_disagg_test_id"] = record.TestId;
        doc["s_slurm_job_id"] = record.Job.JobId ?? "";
        doc["s_failure_class"] = record.FailureClass;
        doc["s_cluster"] = record.Cluster;
        if (PerGpuThroughput.PerGpu(record, result) is { } perGpu && PerGpuThroughput.Gpus(record) is { } gpus)
        {
            doc[PerGpuThroughput.Field] = perGpu;
            doc[PerGpuThroughput.GpusField] = (long)gpus;
        }
        return doc;
    }

    /// <summary>
    /// A concurrency with confirmation repeats: its metric fields stay sample 0 (the planned block, as perf-sanity writes it), plus
    /// <c>l_sample_index</c> 0, <c>l_sample_count</c> and <c>s_samples</c>, a JSON array of the repeats' <c>l_sample_index</c> and <c>d_*</c>
    /// metric fields. One document per concurrency either way, so the <c>_id</c> and history stay as they were.
    /// </summary>
    private static void AddSamples(JsonObject doc, ConcurrencyMetrics result)
    {
        if (result.Samples.Count == 0) return;
        doc["l_sample_index"] = 0L;
        doc["l_sample_count"] = (long)(result.Samples.Count + 1);
        var samples = new JsonArray();
        for (var i = 0; i < result.Samples.Count; i++)
        {
            var sample = new JsonObject { ["l_sample_index"] = (long)(i + 1) };
            foreach (var (name, value) in result.Samples[i].OrderBy(m => m.Key, StringComparer.Ordinal))
                if (MetricCatalog.ByName(name)?.DocumentField is { } field && double.IsFinite(value)) sample[field] = value;
            samples.Add(sample);
        }
        doc["s_samples"] = samples.ToJsonString();
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
        doc["b_use_nv_sa_benchmark"] = client.UseNvSaBenchmark;
        doc["b_warmup"] = client.Warmup;
        doc["s_benchmark_client"] = client.BenchmarkClient;
        doc["b_eos"] = client.SpeculativeDecoding;
        doc["s_client_log_link"] = "";
        doc["s_client_env_vars"] = client.EnvVars;
    }

    /// <summary>
    /// The sixteen client metrics; the acceptance length only with speculative decoding (so baselines of the two
    /// populations never blend); the step-time statistics only for gen_only. A metric the run did not report is left out.
    /// </summary>
    private static void AddMetrics(JsonObject doc, PublishRecord record, ConcurrencyMetrics result)
    {
        IEnumerable<string> fields = DocumentMetrics.Client;
        if (record.Client.SpeculativeDecoding) fields = fields.Append(DocumentMetrics.AcceptanceLength);
        if (record.BenchmarkMode == "gen_only") fields = fields.Concat(DocumentMetrics.StepTimes);
        foreach (var field in fields)
            if (result.Metrics.TryGetValue(DocumentMetrics.CatalogName(field), out var value) && double.IsFinite(value))
                doc[field] = value;
        // Percentiles beyond upstream's fixed set (p90, p99.9, ...) as the client printed them, so thresholds and charts can use them.
        foreach (var metric in MetricCatalog.Percentiles(result.Metrics.Keys))
            if (metric.DocumentField is { } extra && !doc.ContainsKey(extra)
                && result.Metrics.TryGetValue(metric.Name, out var value) && double.IsFinite(value))
                doc[extra] = value;
    }

    private static void AddJob(JsonObject doc, CiContext ci, string id)
    {
        doc["b_is_baseline"] = false;
        doc["b_is_valid"] = true;
        doc["_id"] = id;
        doc["s_host_node_name"] = ci.HostNodeName;
        doc["s_build_id"] = ci.BuildId;
        doc["s_build_url"] = ci.BuildUrl;
        doc["s_job_name"] = ci.JobName;
        doc["s_job_id"] = ci.JobId;
        doc["s_job_url"] = ci.JobUrl;
        doc["s_branch"] = ci.Branch;
        doc["s_commit"] = ci.Commit;
        doc["b_is_post_merge"] = ci.IsPostMerge;
        doc["b_is_pr_job"] = !ci.IsPostMerge;
        doc["s_trigger_mr_user"] = ci.TriggerMrUser;
        doc["s_trigger_mr_link"] = ci.TriggerMrLink;
        doc["s_trigger_mr_id"] = ci.TriggerMrId;
        doc["s_trigger_mr_commit"] = ci.TriggerMrCommit;
        doc["s_artifact_url"] = ci.ArtifactUrl;
        doc["b_is_regression"] = false;
    }

    /// <summary>
    /// The verdict of the case (<c>s_regression_info</c> is empty without history); without a history read, no regression
    /// field beyond <c>b_is_regression: false</c>. A post-merge document carries on, for every document metric, both
    /// thresholds of the newest history record that pins them (else 5 % and 10 %) and its baseline when that is positive
    /// (else none): Disagg's computed baselines are never written, so they cannot be mistaken for pinned ones.
    /// </summary>
    private static void AddRegression(JsonObject doc, RegressionCase? regression, bool isPostMerge)
    {
        if (regression is null) return;
        doc["s_regression_info"] = regression.Info;
        doc["b_is_regression"] = regression.IsRegression;
        if (!isPostMerge) return;
        foreach (var field in DocumentMetrics.Fields)
        {
            var post = DocumentMetrics.ThresholdField(field, RunKind.PostMerge);
            var pre = DocumentMetrics.ThresholdField(field, RunKind.PreMerge);
            doc[post] = regression.Pinned.TryGetValue(post, out var p) ? p : DefaultPostMergeThreshold;
            doc[pre] = regression.Pinned.TryGetValue(pre, out var q) ? q : DefaultPreMergeThreshold;
            if (regression.Pinned.GetValueOrDefault(DocumentMetrics.BaselineField(field)) is > 0 and var b) doc[DocumentMetrics.BaselineField(field)] = b;
        }
    }
}
