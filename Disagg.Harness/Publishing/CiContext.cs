using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Disagg.Harness.Publishing;

/// <summary>
/// The job/CI context fields of a document, read from (in this order) Jenkins' <c>globalVars</c> JSON, a Jenkins
/// multibranch pipeline's <c>BRANCH_NAME</c>/<c>CHANGE_*</c> variables, or GitLab CI variables. Outside CI every field is
/// empty and the run counts as pre-merge. Nothing here throws on an unexpected shape: a field that cannot be read is empty.
/// </summary>
/// <remarks>
/// Jenkins: the parent job is the last of <c>action_info.parents</c>; the run is post-merge when its URL contains
/// "PostMerge". The branch is <c>globalVars.build_branch</c> when it is a string, else empty: the job URL's folder
/// segment names where the job definition lives ("main" even for a release-branch build), so it is never used. A
/// pull-request build's id and link come from <c>github_pr_api_url</c>, its user from the HTML <c>trigger_info</c> string,
/// and its commit is <c>gitlabCommit</c>.
/// </remarks>
public sealed partial record CiContext(
    string HostNodeName,
    string BuildId,
    string BuildUrl,
    string JobName,
    string JobId,
    string JobUrl,
    string Branch,
    string Commit,
    bool IsPostMerge,
    string TriggerMrUser,
    string TriggerMrLink,
    string TriggerMrId,
    string TriggerMrCommit,
    string ArtifactUrl,
    string StageName,
    string LookupBranch)
{
    public const string BaselineBranchVariable = "PERF_BASELINE_BRANCH";
    public const string ArtifactoryVariable = "DISAGG_ARTIFACTORY_URL";
    public const string DefaultBaselineBranch = "main";

    [GeneratedRegex(@"/pulls/(\d+)")]
    private static partial Regex PullNumber();

    [GeneratedRegex("target=\"_blank\">([^<]+)</a><br/>Git Commit:")]
    private static partial Regex TriggerUser();

    private sealed record Change(bool PostMerge, string Branch, string Commit, string User, string Link, string Id, string JobId, string JobUrl);

    public static CiContext From(IReadOnlyDictionary<string, string> env)
    {
        string Get(params string[] names) => names.Select(n => env.GetValueOrDefault(n)).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "";

        var change = Jenkins(env, Get) ?? Multibranch(Get) ?? GitLab(Get)
            ?? new Change(false, "", Get("gitlabCommit", "GIT_COMMIT", "CI_COMMIT_SHA"), "", "", "", "", "");
        var artifactory = Get(ArtifactoryVariable).TrimEnd('/');
        var artifact = artifactory.Length == 0 || change.JobId.Length == 0 ? ""
            : $"{artifactory}/sw-tensorrt-generic/llm-artifacts/LLM/main/{(change.PostMerge ? "L0_PostMerge" : "L0_MergeRequest_PR")}/{change.JobId}";
        // A pre-merge run has no post-merge history of its own branch: it is judged against the baseline branch.
        var lookup = change.PostMerge ? change.Branch : Get(BaselineBranchVariable) is { Length: > 0 } b ? b : DefaultBaselineBranch;
        return new CiContext(
            Get("HOST_NODE_NAME", "CI_RUNNER_DESCRIPTION"),
            Get("BUILD_ID", "CI_JOB_ID"),
            Get("BUILD_URL", "CI_JOB_URL"),
            Get("JOB_NAME", "CI_JOB_NAME"),
            change.JobId,
            change.JobUrl,
            change.Branch,
            change.Commit,
            change.PostMerge,
            change.PostMerge ? "" : change.User,
            change.PostMerge ? "" : change.Link,
            change.PostMerge ? "" : change.Id,
            change.PostMerge ? "" : change.Commit,
            artifact,
            Get("stageName", "CI_JOB_STAGE"),
            lookup);
    }

    /// <summary>The Jenkins pipeline's <c>globalVars</c> (a JSON object in the environment); null when absent or not an object.</summary>
    private static Change? Jenkins(IReadOnlyDictionary<string, string> env, Func<string[], string> get)
    {
        if (ParseObject(env.GetValueOrDefault("globalVars")) is not { } globalVars) return null;
        var actionInfo = globalVars["action_info"] as JsonObject;
        var parent = actionInfo?["parents"] is JsonArray { Count: > 0 } parents ? parents[^1] as JsonObject : null;
        var jobUrl = Text(parent?["url"]);
        var jobId = Text(parent?["build_number"]);
        var postMerge = jobUrl.Contains("PostMerge", StringComparison.Ordinal);
        var branch = globalVars["build_branch"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
        var commit = get(["gitlabCommit"]);
        var api = globalVars["github_pr_api_url"] is JsonValue a && a.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : "";
        var (id, link) = PullNumber().Match(api) is { Success: true } pr
            ? (pr.Groups[1].Value,
                api.Replace("api.github.com/repos/", "github.com/", StringComparison.Ordinal).Replace("/pulls/", "/pull/", StringComparison.Ordinal))
            : ("", "");
        var trigger = actionInfo?["trigger_info"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : "";
        var user = TriggerUser().Match(trigger) is { Success: true } u ? u.Groups[1].Value : "";
        return new Change(postMerge, branch, commit, user, link, id, jobId, jobUrl);
    }

    /// <summary>
    /// A Jenkins multibranch pipeline without <c>globalVars</c>: a change request (<c>CHANGE_ID</c>) is pre-merge; a branch
    /// build of <c>main</c>, <c>master</c> or <c>release/*</c> is post-merge.
    /// </summary>
    private static Change? Multibranch(Func<string[], string> get)
    {
        var branchName = get(["BRANCH_NAME"]);
        if (branchName.Length == 0) return null;
        var changeId = get(["CHANGE_ID"]);
        var postMerge = changeId.Length == 0 && (branchName is "main" or "master" || branchName.StartsWith("release/", StringComparison.Ordinal));
        var branch = changeId.Length > 0 ? get(["CHANGE_BRANCH"]) is { Length: > 0 } source ? source : branchName : branchName;
        return new Change(postMerge, branch, get(["GIT_COMMIT", "gitlabCommit"]), get(["CHANGE_AUTHOR"]), get(["CHANGE_URL"]), changeId,
            get(["BUILD_NUMBER", "BUILD_ID"]), get(["BUILD_URL"]));
    }

    /// <summary>GitLab CI: a merge-request pipeline is pre-merge; a pipeline of the default branch is post-merge.</summary>
    private static Change? GitLab(Func<string[], string> get)
    {
        if (get(["CI_PIPELINE_ID"]).Length == 0 && get(["CI_JOB_ID"]).Length == 0) return null;
        var mr = get(["CI_MERGE_REQUEST_IID"]);
        var postMerge = mr.Length == 0 && get(["CI_COMMIT_BRANCH"]) is { Length: > 0 } b && b == get(["CI_DEFAULT_BRANCH"]);
        var branch = get(["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_BRANCH"]);
        var commit = mr.Length > 0 ? get(["CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "CI_COMMIT_SHA"]) : get(["CI_COMMIT_SHA"]);
        var link = mr.Length > 0 ? $"{get(["CI_MERGE_REQUEST_PROJECT_URL", "CI_PROJECT_URL"])}/-/merge_requests/{mr}" : "";
        var user = mr.Length > 0 ? get(["GITLAB_USER_LOGIN"]) : "";
        return new Change(postMerge, branch, commit, user, link, mr, get(["CI_PIPELINE_ID"]), get(["CI_PIPELINE_URL"]));
    }

    private static JsonObject? ParseObject(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A string or number as text (a build number may be either); anything else is empty.</summary>
    private static string Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number ? v.ToString() : "";
}
