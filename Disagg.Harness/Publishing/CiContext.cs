using System.Text.Json.Nodes;

namespace Disagg.Harness.Publishing;

/// <summary>
/// The job/CI context fields of a document (reference §6 A/B), read from Jenkins variables first and
/// GitLab CI variables as the fallback. Outside CI every field is empty and the run counts as pre-merge.
/// </summary>
public sealed record CiContext(
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
    string StageName)
{
    public static CiContext From(IReadOnlyDictionary<string, string> env)
    {
        string Get(params string[] names) => names.Select(n => env.GetValueOrDefault(n)).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "";

        var globalVars = ParseObject(env.GetValueOrDefault("globalVars"));
        var parent = globalVars?["action_info"]?["parents"] is JsonArray { Count: > 0 } parents ? parents[^1] : null;
        var trigger = globalVars?["action_info"]?["trigger_info"];

        var jobId = Str(parent?["build_number"]) is { Length: > 0 } j ? j : Get("CI_PIPELINE_ID");
        var jobUrl = Str(parent?["url"]) is { Length: > 0 } u ? u : Get("CI_PIPELINE_URL");
        var gitlabMr = Get("CI_MERGE_REQUEST_IID");
        var isPostMerge = parent is not null
            ? jobUrl.Contains("PostMerge", StringComparison.Ordinal)
            : gitlabMr.Length == 0 && Get("CI_COMMIT_BRANCH") is { Length: > 0 } b && b == Get("CI_DEFAULT_BRANCH");
        var branch = Str(globalVars?["build_branch"]) is { Length: > 0 } gb ? gb
            : Get("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_BRANCH") is { Length: > 0 } gl ? gl
            : "main";

        var mrLink = Str(trigger?["pr_link"]);
        mrLink = mrLink.Replace("api.github.com/repos/", "github.com/", StringComparison.Ordinal).Replace("/pulls/", "/pull/", StringComparison.Ordinal);
        if (mrLink.Length == 0 && gitlabMr.Length > 0) mrLink = $"{Get("CI_MERGE_REQUEST_PROJECT_URL")}/-/merge_requests/{gitlabMr}";
        var mrId = Str(trigger?["pr_number"]) is { Length: > 0 } n ? n : gitlabMr;

        var artifactory = Get("DISAGG_ARTIFACTORY_URL");
        var artifact = artifactory.Length == 0 || jobId.Length == 0 ? ""
            : $"{artifactory.TrimEnd('/')}/sw-tensorrt-generic/llm-artifacts/LLM/main/{(isPostMerge ? "L0_PostMerge" : "L0_MergeRequest_PR")}/{jobId}";

        return new CiContext(
            Get("HOST_NODE_NAME", "CI_RUNNER_DESCRIPTION"),
            Get("BUILD_ID", "CI_JOB_ID"),
            Get("BUILD_URL", "CI_JOB_URL"),
            Get("JOB_NAME", "CI_JOB_NAME"),
            jobId,
            jobUrl,
            branch,
            Get("gitlabCommit", "CI_COMMIT_SHA"),
            isPostMerge,
            isPostMerge ? "" : Str(trigger?["user"]) is { Length: > 0 } user ? user : gitlabMr.Length > 0 ? Get("GITLAB_USER_LOGIN") : "",
            isPostMerge ? "" : mrLink,
            isPostMerge ? "" : mrId,
            isPostMerge ? "" : Str(trigger?["commit"]) is { Length: > 0 } c ? c : gitlabMr.Length > 0 ? Get("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "CI_COMMIT_SHA") : "",
            artifact,
            Get("stageName", "CI_JOB_STAGE"));
    }

    private static JsonNode? ParseObject(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Str(JsonNode? node) => node is JsonValue v ? v.ToString() : "";
}
