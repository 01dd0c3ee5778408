namespace Disagg.Harness.Reporting;

/// <summary>
/// Test attachments as CI consumers open them. GitLab resolves <c>[[ATTACHMENT|path]]</c> inside the job's artifacts,
/// which are stored relative to <c>CI_PROJECT_DIR</c>, and opens only the first one of a failed test; the Jenkins JUnit
/// Attachments plugin resolves a relative path against the build's <c>WORKSPACE</c>. So paths are made relative to the
/// CI project folder and the diagnosis archive goes first.
/// </summary>
public static class AttachmentPath
{
    /// <summary><c>CI_PROJECT_DIR</c> (GitLab), else <c>WORKSPACE</c> (Jenkins), else the repository root.</summary>
    public static string ProjectDir(Func<string, string?> environment, string repoRoot)
    {
        var dir = environment("CI_PROJECT_DIR") is { Length: > 0 } gitlab ? gitlab
            : environment("WORKSPACE") is { Length: > 0 } jenkins ? jenkins
            : repoRoot;
        return Path.GetFullPath(dir);
    }

    /// <summary>
    /// <paramref name="path"/> relative to <paramref name="projectDir"/> with '/' separators, or null when it lies outside
    /// (a CI server cannot serve it; the results folder must be under the project folder). A relative path is kept.
    /// </summary>
    public static string? Relative(string path, string projectDir)
    {
        if (!Path.IsPathRooted(path)) return path.Replace('\\', '/');
        var relative = Path.GetRelativePath(Path.GetFullPath(projectDir), Path.GetFullPath(path));
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || relative.StartsWith("..\\", StringComparison.Ordinal)
            || Path.IsPathRooted(relative))
            return null;
        return relative.Replace('\\', '/');
    }

    /// <summary>True for a failure-diagnosis archive (<c>job_&lt;id&gt;_&lt;status&gt;_&lt;date&gt;.tar.gz</c>).</summary>
    public static bool IsDiagnosisArchive(string path)
    {
        var name = Path.GetFileName(path);
        return name.StartsWith("job_", StringComparison.Ordinal) && name.EndsWith(".tar.gz", StringComparison.Ordinal);
    }

    /// <summary>Diagnosis archives first (the one attachment GitLab shows), the rest in their given order; duplicates dropped.</summary>
    public static IReadOnlyList<string> Ordered(IEnumerable<string> paths)
    {
        var distinct = paths.Distinct(StringComparer.Ordinal).ToList();
        return [.. distinct.Where(IsDiagnosisArchive), .. distinct.Where(p => !IsDiagnosisArchive(p))];
    }
}
