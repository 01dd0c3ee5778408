namespace Disagg.Harness.Cluster;

/// <summary>
/// Where a test's job workspace lives as the cluster sees it, and where its results land on this machine.
/// Local profiles use one folder for both (<c>&lt;results&gt;/&lt;test id&gt;</c>); SSH profiles run the job
/// under <c>&lt;workspace_root&gt;/&lt;run id&gt;/&lt;test id&gt;</c> on the cluster and copy it back afterwards.
/// </summary>
public sealed record WorkspaceLayout(string ResultsDir, string? ClusterRoot)
{
    public static WorkspaceLayout Local(string resultsDir) => new(resultsDir, null);

    /// <summary><c>&lt;workspace_root&gt;/&lt;run id&gt;</c>, the run id being the results folder's name plus a random suffix.</summary>
    public static WorkspaceLayout Remote(string resultsDir, string workspaceRoot) =>
        new(resultsDir, $"{workspaceRoot.TrimEnd('/')}/{Path.GetFileName(Path.TrimEndingDirectorySeparator(resultsDir))}-{Guid.NewGuid().ToString("N")[..6]}");

    public bool IsRemote => ClusterRoot is not null;

    public string LocalPath(string testId) => Path.Combine(ResultsDir, testId);

    public string ClusterPath(string testId) => ClusterRoot is null ? LocalPath(testId) : $"{ClusterRoot}/{testId}";
}
