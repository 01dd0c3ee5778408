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

    private const string Jenkins = "https://prod.blsm.nvidia.com/sw-tensorrt-top-1/job/LLM/job/main/job";

    /// <summary>The HTML line Jenkins shows for a GitHub-triggered build, JSON-escaped as globalVars carries it.</summary>
    private const string Trigger = """Triggered by <a href=\"https://github.com/Barry-Delaney\" target=\"_blank\">Barry-Delaney</a><br/>"""
        + """Git Commit: <a href=\"https://github.com/NVIDIA/TensorRT-LLM/commit/9f8e7d6c5b4a\" target=\"_blank\">9f8e7d6c5b4a</a>""";

    /// <summary>A post-merge build of main as the Jenkins pipeline exports it (the build number is a JSON number there).</summary>
    public static readonly IReadOnlyDictionary<string, string> JenkinsPostMerge = new Dictionary<string, string>
    {
        ["HOST_NODE_NAME"] = "node-17",
        ["BUILD_ID"] = "4242",
        ["BUILD_URL"] = $"{Jenkins}/L0_Test-SBSA-Multi-Node/4242/",
        ["JOB_NAME"] = "LLM/main/L0_Test-SBSA-Multi-Node",
        ["gitlabCommit"] = "0123abcd",
        ["stageName"] = "GB200-8_GPUs-2_Nodes-PyTorch-Disagg-PerfSanity-Post-Merge-1",
        ["globalVars"] = $$$"""
            {"build_branch": "main",
             "action_info": {"parents": [{"build_number": 2911, "url": "{{{Jenkins}}}/L0_PostMerge/2911/"}], "trigger_info": "Started by timer"}}
            """,
        ["DISAGG_GPU_TYPE"] = "GB200",
        ["OPEN_SEARCH_DB_CREDENTIALS_PSW"] = "must-never-appear",
    };

    /// <summary>
    /// A GitHub pull-request build: <c>trigger_info</c> is the HTML line Jenkins shows, the PR comes from
    /// <c>github_pr_api_url</c>, and the branch is <c>github-pr-N</c>.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> JenkinsPreMerge = new Dictionary<string, string>
    {
        ["HOST_NODE_NAME"] = "node-03",
        ["BUILD_ID"] = "5150",
        ["BUILD_URL"] = $"{Jenkins}/L0_Test-SBSA-Multi-Node/5150/",
        ["JOB_NAME"] = "LLM/main/L0_Test-SBSA-Multi-Node",
        ["gitlabCommit"] = "9f8e7d6c5b4a",
        ["stageName"] = "GB200-8_GPUs-2_Nodes-PyTorch-Disagg-PerfSanity-Pre-Merge-1",
        ["globalVars"] = $$$"""
            {"build_branch": "github-pr-18408",
             "github_pr_api_url": "https://api.github.com/repos/NVIDIA/TensorRT-LLM/pulls/18408",
             "action_info": {"parents": [{"build_number": "1234", "url": "{{{Jenkins}}}/L0_MergeRequest_PR/1234/"}],
                             "trigger_info": "{{{Trigger}}}"}}
            """,
        ["DISAGG_GPU_TYPE"] = "GB200",
    };

    /// <summary>A post-merge build of a release branch: its job URL still names the main folder.</summary>
    public static readonly IReadOnlyDictionary<string, string> JenkinsReleasePostMerge = new Dictionary<string, string>(JenkinsPostMerge)
    {
        ["globalVars"] = $$$"""
            {"build_branch": "release/1.3.0rc22.post1", "action_info": {"parents": [{"build_number": "2911", "url": "{{{Jenkins}}}/L0_PostMerge/2911/"}]}}
            """,
    };

    /// <summary>A Jenkins multibranch pipeline building a pull request (no globalVars).</summary>
    public static readonly IReadOnlyDictionary<string, string> JenkinsMultibranchChange = new Dictionary<string, string>
    {
        ["HOST_NODE_NAME"] = "agent-7",
        ["BUILD_ID"] = "7",
        ["BUILD_NUMBER"] = "7",
        ["BUILD_URL"] = "https://ci.example/job/llm-perf/job/PR-42/7/",
        ["JOB_NAME"] = "llm-perf/PR-42",
        ["BRANCH_NAME"] = "PR-42",
        ["CHANGE_ID"] = "42",
        ["CHANGE_BRANCH"] = "feature/kv-reuse",
        ["CHANGE_URL"] = "https://github.com/acme/llm/pull/42",
        ["CHANGE_AUTHOR"] = "alice",
        ["GIT_COMMIT"] = "c0ffee00",
        ["stageName"] = "perf",
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

    public static PublishRecord Record(IReadOnlyDictionary<string, string>? env = null, string runId = "20250102-030405", string testId = TestId,
        string jobId = "1001", DisaggConfig? config = null) =>
        PublishRecordFactory.Create(Result(testId, jobId), config ?? Smoke(), runId, env ?? JenkinsPostMerge);

    /// <summary>The regression cases of a judged run without history (both concurrencies of the smoke config).</summary>
    public static IReadOnlyList<RegressionCase> NoHistory() =>
        [.. new[] { 1, 4 }.Select(c => new RegressionCase(c, $"e2e-smoke-con{c}_iter4_isl128_osl32", false, false, [], new Dictionary<string, double>()))];

    /// <summary>The smoke config under another file name: another test case stem.</summary>
    public static DisaggConfig SmokeAs(string stem) => Smoke() with { SourceFile = $"configs/disagg/perf/{stem}.yaml" };

    /// <summary>The history keys a run of the smoke config looks up from <paramref name="env"/> on <paramref name="gpu"/>, one per concurrency.</summary>
    public static IReadOnlyList<CaseKey> Keys(IReadOnlyDictionary<string, string> env, string gpu = "gb200", DisaggConfig? config = null) =>
        [.. new[] { 1, 4 }.Select(c => RegressionContextFactory.For(TestId, config ?? Smoke(), env, DateTimeOffset.UtcNow, gpu).KeyFor(c))];

    public static string Batch(PublishRecord? record = null) => DocumentJson.Serialize(OpenSearchDocumentBuilder.Build(record ?? Record()));
}
