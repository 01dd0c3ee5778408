using System.Text;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Where and as whom OpenSearch documents go: base URL, project and credentials (<see cref="FromEnvironment"/>).
/// <see cref="ToString"/> never shows the password.
/// </summary>
public sealed class OpenSearchSettings
{
    public const string ProjectRoot = "swdl-trtllm-infra-ci-prod";
    public const string PerfProject = ProjectRoot + "-perf_sanity_info";
    public const string SandboxProject = "sandbox-temp-trtllm-ci-perf-v1-test_info";
    public static readonly IReadOnlyList<string> WriteAllowList = [PerfProject, ProjectRoot + "-cbts_info"];

    public static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    private readonly string? _user;
    private readonly string? _password;

    public OpenSearchSettings(Uri baseUrl, string project, string? user, string? password)
    {
        BaseUrl = baseUrl;
        Project = project;
        _user = user;
        _password = password;
    }

    public Uri BaseUrl { get; }
    public string Project { get; }
    public bool IsSandbox => Project.Contains("sandbox", StringComparison.Ordinal);
    public bool HasCredentials => !string.IsNullOrEmpty(_user) && !string.IsNullOrEmpty(_password);

    /// <summary>The base URL as it may appear in logs: no user info, no query.</summary>
    public string DisplayBase => new UriBuilder(BaseUrl) { UserName = "", Password = "", Query = "" }.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');

    public Uri PostUri => new($"{BaseUrl.ToString().TrimEnd('/')}/dataflow2/{Project}/posting");
    public Uri SearchUri => new($"{BaseUrl.ToString().TrimEnd('/')}/opensearch/df-{Project}-*/_search");

    /// <summary>Null when <c>OPEN_SEARCH_DB_BASE_URL</c> is not set (uploads are skipped).</summary>
    public static OpenSearchSettings? FromEnvironment(IReadOnlyDictionary<string, string> env)
    {
        var baseUrl = env.GetValueOrDefault("OPEN_SEARCH_DB_BASE_URL")?.Trim();
        if (string.IsNullOrEmpty(baseUrl)) return null;
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UploadException("config", null,
                "OPEN_SEARCH_DB_BASE_URL is not an absolute http(s) URL; set it to the ingestion service base, e.g. https://host:port");
        var project = string.Equals(env.GetValueOrDefault("USE_POC_DB"), "true", StringComparison.OrdinalIgnoreCase) ? SandboxProject : PerfProject;
        return new OpenSearchSettings(uri, project,
            env.GetValueOrDefault("OPEN_SEARCH_DB_CREDENTIALS_USR"), env.GetValueOrDefault("OPEN_SEARCH_DB_CREDENTIALS_PSW"));
    }

    /// <summary>Why a post cannot be made at all, or null.</summary>
    public string? PostConfigurationProblem()
    {
        if (IsSandbox) return null;
        if (!WriteAllowList.Contains(Project))
            return $"project {Project} is not in the write allow-list ({string.Join(", ", WriteAllowList)}); posting refused";
        if (!HasCredentials)
            return $"project {Project} needs credentials: set OPEN_SEARCH_DB_CREDENTIALS_USR and OPEN_SEARCH_DB_CREDENTIALS_PSW "
                + "(or USE_POC_DB=true for the sandbox)";
        return null;
    }

    internal string? ProxyAuthorization() =>
        IsSandbox || !HasCredentials ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{_password}"));

    public override string ToString() => $"{DisplayBase} project {Project}{(HasCredentials ? " (credentials set)" : "")}";
}
