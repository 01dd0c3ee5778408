using System.Text.Json.Nodes;
using Disagg.Harness.Publishing;
using Disagg.OpenSearchStandIn;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// Issue 20 acceptance 3: the CI context of real Jenkins pre- and post-merge builds (globalVars as the pipeline exports
/// them: <c>trigger_info</c> an HTML string, the PR from <c>github_pr_api_url</c>), a Jenkins multibranch pipeline and GitLab,
/// read without throwing whatever shape a field has.
/// </summary>
public sealed class CiContextTests
{
    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> env, params (string Key, string Value)[] changes)
    {
        var copy = new Dictionary<string, string>(env);
        foreach (var (key, value) in changes) copy[key] = value;
        return copy;
    }

    [Test]
    public void A_github_pull_request_build_reads_the_pr_from_the_api_url_and_the_user_from_the_html_trigger()
    {
        var ci = CiContext.From(PublishingSamples.JenkinsPreMerge);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ci.IsPostMerge, Is.False);
            Assert.That(ci.JobId, Is.EqualTo("1234"));
            Assert.That(ci.JobUrl, Does.EndWith("/job/LLM/job/main/job/L0_MergeRequest_PR/1234/"));
            Assert.That(ci.Branch, Is.EqualTo("github-pr-18408"));
            Assert.That(ci.TriggerMrId, Is.EqualTo("18408"));
            Assert.That(ci.TriggerMrLink, Is.EqualTo("https://github.com/NVIDIA/TensorRT-LLM/pull/18408"));
            Assert.That(ci.TriggerMrUser, Is.EqualTo("Barry-Delaney"));
            Assert.That(ci.TriggerMrCommit, Is.EqualTo("9f8e7d6c5b4a"));
            Assert.That(ci.Commit, Is.EqualTo("9f8e7d6c5b4a"));
            Assert.That(ci.StageName, Is.EqualTo("GB200-8_GPUs-2_Nodes-PyTorch-Disagg-PerfSanity-Pre-Merge-1"));
            Assert.That(ci.LookupBranch, Is.EqualTo("main"), "a pre-merge run is judged against main's history");
            Assert.That(ci.ArtifactUrl, Is.Empty, "no Artifactory base configured");
        }
    }

    [Test]
    public void The_artifact_url_and_the_baseline_branch_are_configurable()
    {
        var ci = CiContext.From(With(PublishingSamples.JenkinsPreMerge, ("DISAGG_ARTIFACTORY_URL", "https://urm.nvidia.com/artifactory/"),
            ("PERF_BASELINE_BRANCH", "release/1.3.0rc22.post1")));
        var post = CiContext.From(With(PublishingSamples.JenkinsReleasePostMerge, ("PERF_BASELINE_BRANCH", "main")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ci.ArtifactUrl, Is.EqualTo("https://urm.nvidia.com/artifactory/sw-tensorrt-generic/llm-artifacts/LLM/main/L0_MergeRequest_PR/1234"));
            Assert.That(ci.LookupBranch, Is.EqualTo("release/1.3.0rc22.post1"));
            Assert.That(ci.Branch, Is.EqualTo("github-pr-18408"), "the document keeps the real branch");
            Assert.That(post.LookupBranch, Is.EqualTo("release/1.3.0rc22.post1"), "post-merge looks up its own branch, whatever PERF_BASELINE_BRANCH says");
        }
    }

    [Test]
    public void A_post_merge_build_takes_the_branch_from_globalvars_never_from_the_job_url()
    {
        var main = CiContext.From(PublishingSamples.JenkinsPostMerge);
        var release = CiContext.From(PublishingSamples.JenkinsReleasePostMerge);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(main.IsPostMerge, Is.True);
            Assert.That(main.JobId, Is.EqualTo("2911"), "a numeric build number is read as text");
            Assert.That((main.Branch, main.LookupBranch), Is.EqualTo(("main", "main")));
            Assert.That((main.TriggerMrUser, main.TriggerMrLink, main.TriggerMrId, main.TriggerMrCommit), Is.EqualTo(("", "", "", "")));
            Assert.That(release.JobUrl, Does.Contain("/job/LLM/job/main/"));
            Assert.That(release.Branch, Is.EqualTo("release/1.3.0rc22.post1"));
        }
    }

    [TestCase("", TestName = "build_branch absent")]
    [TestCase("\"build_branch\": null,", TestName = "build_branch null")]
    [TestCase("\"build_branch\": \"\",", TestName = "build_branch empty")]
    [TestCase("\"build_branch\": [\"main\"],", TestName = "build_branch a list")]
    [TestCase("\"build_branch\": {\"name\": \"main\"},", TestName = "build_branch an object")]
    [TestCase("\"build_branch\": 123,", TestName = "build_branch a number")]
    [TestCase("\"build_branch\": true,", TestName = "build_branch a bool")]
    public void An_unpublished_or_malformed_branch_is_empty_never_guessed(string branch)
    {
        var env = With(PublishingSamples.JenkinsPostMerge,
            ("globalVars", $$$"""{{{branch}}} "action_info": {"parents": [{"build_number": 7, "url": "https://ci/job/LLM/job/main/job/L0_PostMerge/7/"}]}}"""));
        Assert.That(CiContext.From(env).Branch, Is.Empty);
    }

    [TestCase("""{"action_info": {"trigger_info": {"user": "x", "pr_link": "y"}, "parents": [{"url": ".../L0_MergeRequest_PR/9/"}]}}""",
        TestName = "trigger_info an object")]
    [TestCase("""{"action_info": {"trigger_info": 42, "parents": {"url": "not a list"}}, "github_pr_api_url": 5}""", TestName = "wrong types everywhere")]
    [TestCase("""{"action_info": [], "build_branch": "main"}""", TestName = "action_info a list")]
    [TestCase("""{not json""", TestName = "unparsable")]
    [TestCase("""["a", "list"]""", TestName = "not an object")]
    public void Odd_shapes_never_throw_and_count_as_pre_merge(string globalVars)
    {
        var ci = CiContext.From(new Dictionary<string, string> { ["globalVars"] = globalVars });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ci.IsPostMerge, Is.False);
            Assert.That(ci.TriggerMrUser, Is.Empty);
            Assert.That(ci.TriggerMrId, Is.Empty);
            Assert.That(ci.LookupBranch, Is.EqualTo("main"));
        }
    }

    [Test]
    public void A_multibranch_change_request_is_pre_merge_and_a_main_branch_build_post_merge()
    {
        var change = CiContext.From(PublishingSamples.JenkinsMultibranchChange);
        var main = CiContext.From(With(PublishingSamples.JenkinsMultibranchChange, ("BRANCH_NAME", "main"), ("CHANGE_ID", "")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(change.IsPostMerge, Is.False);
            Assert.That(change.Branch, Is.EqualTo("feature/kv-reuse"));
            Assert.That((change.TriggerMrId, change.TriggerMrLink, change.TriggerMrUser), Is.EqualTo(("42", "https://github.com/acme/llm/pull/42", "alice")));
            Assert.That((change.Commit, change.TriggerMrCommit), Is.EqualTo(("c0ffee00", "c0ffee00")));
            Assert.That(change.JobId, Is.EqualTo("7"));
            Assert.That(main.IsPostMerge, Is.True);
            Assert.That((main.Branch, main.LookupBranch), Is.EqualTo(("main", "main")));
        }
    }

    [Test]
    public void GitLab_merge_requests_are_pre_merge_and_default_branch_pipelines_post_merge()
    {
        var mr = CiContext.From(PublishingSamples.GitLabMergeRequest);
        var env = With(PublishingSamples.GitLabMergeRequest, ("CI_COMMIT_BRANCH", "main"), ("CI_DEFAULT_BRANCH", "main"));
        env.Remove("CI_MERGE_REQUEST_IID");
        env.Remove("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME");
        var post = CiContext.From(env);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mr.IsPostMerge, Is.False);
            Assert.That((mr.Branch, mr.TriggerMrId, mr.TriggerMrUser), Is.EqualTo(("feature/x", "12", "alice")));
            Assert.That(mr.TriggerMrLink, Is.EqualTo("https://gitlab.example/disagg/-/merge_requests/12"));
            Assert.That(mr.JobId, Is.EqualTo("555"));
            Assert.That(post.IsPostMerge, Is.True);
            Assert.That((post.Branch, post.LookupBranch, post.TriggerMrId), Is.EqualTo(("main", "main", "")));
        }
    }

    [Test]
    public void Outside_ci_everything_is_empty_and_history_is_main()
    {
        var ci = CiContext.From(new Dictionary<string, string>());
        Assert.That(ci, Is.EqualTo(new CiContext("", "", "", "", "", "", "", "", false, "", "", "", "", "", "", "main")));
    }

    [Test]
    public async Task A_pull_request_build_produces_valid_documents_the_stand_in_accepts()
    {
        var record = PublishingSamples.Record(PublishingSamples.JenkinsPreMerge) with { RegressionCases = PublishingSamples.NoHistory() };
        var batch = PublishingSamples.Batch(record);
        await using var server = await StandInServer.StartAsync(new StandInOptions { User = "perf-bot", Password = "pw" }, CancellationToken.None);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var env = new Dictionary<string, string>
        {
            ["OPEN_SEARCH_DB_BASE_URL"] = server.BaseUrl.ToString(),
            ["OPEN_SEARCH_DB_CREDENTIALS_USR"] = "perf-bot",
            ["OPEN_SEARCH_DB_CREDENTIALS_PSW"] = "pw",
        };
        var client = new OpenSearchClient(http, OpenSearchSettings.FromEnvironment(env)!, new ImmediateTime(), _ => { });
        await client.PostAsync(batch, CancellationToken.None);
        var stored = server.Store.All(OpenSearchSettings.PerfProject).Select(d => d.Source).OrderBy(d => (long)d["l_concurrency"]!).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(DocumentTypeCheck.Check(batch), Is.Empty);
            Assert.That(stored, Has.Count.EqualTo(2));
            Assert.That(stored.Select(d => (string?)d["s_trigger_mr_user"]), Is.All.EqualTo("Barry-Delaney"));
            Assert.That(stored.Select(d => (string?)d["s_trigger_mr_id"]), Is.All.EqualTo("18408"));
            Assert.That(stored.Select(d => (bool?)d["b_is_pr_job"]), Is.All.True);
            Assert.That(stored.Select(d => (string?)d["s_branch"]), Is.All.EqualTo("github-pr-18408"));
            Assert.That(stored[0].ContainsKey("d_threshold_pre_merge_token_throughput"), Is.False, "a pre-merge document pins nothing");
            Assert.That(JsonNode.DeepEquals(stored[0]["s_regression_info"], JsonValue.Create("")), Is.True);
        }
    }
}
