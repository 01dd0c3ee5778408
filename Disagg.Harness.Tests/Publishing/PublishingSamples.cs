using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Publishing;
using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>A fixed finished test (the smoke config, two concurrencies) and CI environments to build documents from.</summary>
internal static class PublishingSamples
{
    public const string TestId = "disagg_perf_smoke";

    public static DisaggConfig Smoke() =>
        ConfigLoader.Load(FixturePaths.Fixture("configs", "smoke.yaml")) with { SourceFile = "configs/disagg/perf/smoke.yaml" };

    public static readonly IReadOnlyDictionary<string, string> JenkinsPostMerge = new Dictionary<string, string>
    {
        ["HOST_NODE_NAME"] = "node-17",
        ["BUILD_ID"] = "4242",
        ["BUILD_URL"] = "https://jenkins.example/job/LLM/job/main/job/PostMerge/4242/",
        ["JOB_NAME"] = "LLM/main/L0_PostMerge",
        ["gitlabCommit"] = "0123abcd",
        ["stageName"] = "GB200-8_GPUs-PyTorch-PerfSanity-Post-Merge-1",
        ["globalVars"] = """{"build_branch":"main","action_info":{"parents":[{"build_number":"99","url":"https://jenkins.example/job/LLM/job/main/job/L0_PostMerge/99/"}]}}""",
        ["DISAGG_GPU_TYPE"] = "GB200",
        ["OPEN_SEARCH_DB_CREDENTIALS_PSW"] = "must-never-appear",
    };

    public static readonly IReadOnlyDictionary<string, string> GitLabMergeRequest = new Dictionary<string, string>
    {
        ["CI_RUNNER_DESCRIPTION"] = "runner-3",
        ["CI_JOB_ID"] = "777",
        ["CI_JOB_URL"] = "https://gitlab.example/disagg/-/jobs/777",
        ["CI_JOB_NAME"] = "perf-smoke",
        ["CI_JOB_STAGE"] = "perf",
        ["CI_PIPELINE_ID"] = "555",
        ["CI_PIPELINE_URL"] = "https://gitlab.example/disagg/-/pipelines/555",
        ["CI_COMMIT_SHA"] = "feedbeef",
        ["CI_MERGE_REQUEST_IID"] = "12",
        ["CI_MERGE_REQUEST_PROJECT_URL"] = "https://gitlab.example/disagg",
        ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = "feature/x",
        ["GITLAB_USER_LOGIN"] = "alice",
    };

    public static JudgedRun Result(string testId = TestId, string jobId = "1001")
    {
        var start = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        ConcurrencyResult Block(int c, double scale) => new(c, c * 4, new Dictionary<string, double>
        {
            ["total_requests"] = c * 4,
            ["successful_requests"] = c * 4,
            ["failed_requests"] = 0,
            ["benchmark_duration_s"] = 3.25,
            ["request_throughput"] = 5.0 * scale,
            ["output_token_throughput"] = 160.0 * scale,
            ["total_token_throughput"] = 800.5 * scale,
            ["user_throughput"] = 40.0,
            ["mean_ttft_ms"] = 120.25, ["median_ttft_ms"] = 118.0, ["std_ttft_ms"] = 3.5, ["p99_ttft_ms"] = 130.75,
            ["mean_tpot_ms"] = 25.0, ["median_tpot_ms"] = 24.5, ["std_tpot_ms"] = 1.0, ["p99_tpot_ms"] = 29.0,
            ["mean_itl_ms"] = 25.0, ["median_itl_ms"] = 24.0, ["std_itl_ms"] = 1.0, ["p99_itl_ms"] = 31.0,
            ["mean_e2el_ms"] = 900.0, ["median_e2el_ms"] = 880.0, ["std_e2el_ms"] = 10.0, ["p99_e2el_ms"] = 1000.0,
        }, false, 1, 40, true);
        var log = new BenchmarkLog("bench.log", [Block(1, 1.0), Block(4, 3.5)], null, []);
        return new JudgedRun(testId, "/results/run/" + testId, jobId,
            new Disagg.Harness.Cluster.JobOutcome(jobId, "COMPLETED", "0:0", "0:0", "None", "node1", ""),
            log, [], [], [new PhaseEvent(start, "submitted"), new PhaseEvent(start.AddSeconds(95), "finished")], TimeSpan.FromSeconds(95));
    }

    public static PublishRecord Record(IReadOnlyDictionary<string, string>? env = null, string runId = "20250102-030405", string testId = TestId, string jobId = "1001") =>
        PublishRecordFactory.Create(Result(testId, jobId), Smoke(), runId, env ?? JenkinsPostMerge);

    public static string Batch(PublishRecord? record = null) => DocumentJson.Serialize(OpenSearchDocumentBuilder.Build(record ?? Record()));
}
