using System.Text.RegularExpressions;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Docs;

/// <summary>
/// Every reference to a repository file in the docs, the README, code comments, scripts and configs resolves: a
/// <c>docs/*.md</c> anywhere, and in Markdown each relative link and each backticked path under a top-level folder.
/// </summary>
public sealed partial class DocReferenceTests
{
    private static readonly string Root = FixturePaths.RepoRoot;

    private static readonly string[] Skipped = ["/bin/", "/obj/", "/.git/", "/.local-cluster/", "/results/", "/TestResults/", "/node_modules/",
        // Captured logs, goldens and samples quote paths of other machines on purpose.
        "/Disagg.Harness.Tests/Fixtures/"];

    private static readonly string[] TextExtensions = [".cs", ".md", ".sh", ".yaml", ".yml", ".props", ".csproj", ".runsettings", ".txt", ".json"];

    [GeneratedRegex(@"(?<![A-Za-z0-9_./-])docs/[A-Za-z0-9_.-]+\.md")] private static partial Regex DocsPath();
    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")] private static partial Regex MarkdownLink();
    [GeneratedRegex(@"`(?<path>(?:Disagg\.[A-Za-z.]+|scripts|clusters|configs|test-lists|examples|docs|bench)/[^`\s]*)`")]
    private static partial Regex BacktickedPath();

    private static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => !Skipped.Any(s => f.Replace('\\', '/').Contains(s, StringComparison.Ordinal)))
            .Where(f => TextExtensions.Contains(Path.GetExtension(f)) || Path.GetFileName(f) == "Jenkinsfile");

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    private static string Relative(string file) => Path.GetRelativePath(Root, file).Replace('\\', '/');

    [Test]
    public void Every_docs_md_reference_names_a_file_that_exists()
    {
        var broken = Files().SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .SelectMany(x => DocsPath().Matches(x.line).Select(m => $"{Relative(x.f)}:{x.i + 1}: {m.Value}"))
            .Where(r => !Exists(Path.Combine(Root, r[(r.LastIndexOf(' ') + 1)..])))
            .ToList();
        Assert.That(broken, Is.Empty);
    }

    [Test]
    public void Markdown_links_and_backticked_repository_paths_resolve()
    {
        var broken = new List<string>();
        foreach (var file in Files().Where(f => f.EndsWith(".md", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match m in MarkdownLink().Matches(lines[i]))
                {
                    var target = m.Groups["target"].Value.Split('#')[0];
                    if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                        continue;
                    if (!Exists(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, target)))) broken.Add($"{Relative(file)}:{i + 1}: link {target}");
                }
                foreach (Match m in BacktickedPath().Matches(lines[i]))
                {
                    var path = m.Groups["path"].Value;
                    // Patterns and placeholders (<test id>, *.yaml, {repo}, $VAR) name no single file.
                    if (path.IndexOfAny(['<', '*', '{', '$', '[']) >= 0) continue;
                    path = Regex.Replace(path, @":\d+(:\d+)?$", "").TrimEnd('/', '.', ',', ';', ')');
                    if (!Exists(Path.Combine(Root, path))) broken.Add($"{Relative(file)}:{i + 1}: `{path}`");
                }
            }
        }
        Assert.That(broken, Is.Empty);
    }

    [Test]
    public void The_scan_covers_the_readme_the_docs_and_the_code()
    {
        // Guards the two checks above: a scan that found no files could never fail.
        var files = Files().Select(Relative).ToList();
        Assert.That(files, Does.Contain("README.md").And.Contain("clusters/local.yaml").And.Contain("Disagg.Harness/Configuration/DisaggConfig.cs"));
        Assert.That(files.Count(f => f.StartsWith("docs/", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(3));
    }
}
