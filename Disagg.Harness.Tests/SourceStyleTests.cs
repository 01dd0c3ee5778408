using System.Text.RegularExpressions;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests;

/// <summary>
/// The style .editorconfig states and the build does not enforce: one top-level type per file, named like the file,
/// so a newcomer finds a type by its name.
/// </summary>
public sealed partial class SourceStyleTests
{
    private static readonly string[] Projects =
        ["Disagg.Harness", "Disagg.Harness.Tests", "Disagg.Sim", "Disagg.Sim.Tests", "Disagg.Tests", "Disagg.Cli", "Disagg.OpenSearchStandIn", "Disagg.Report"];

    [GeneratedRegex(@"^(?:public |internal |file )?(?:(?:sealed|static|abstract|partial|readonly|ref) )*(?:class|record struct|record|enum|interface|struct) (\w+)",
        RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    public static IEnumerable<string> SourceFiles() =>
        Projects.Select(p => Path.Combine(FixturePaths.RepoRoot, p)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>Files whose top-level types are more than one, or one not named like the file.</summary>
    public static IReadOnlyList<string> TypeFileMismatches(IEnumerable<(string Path, string Text)> files) =>
        files.Select(f => (f.Path, Types: TopLevelType().Matches(f.Text).Select(m => m.Groups[1].Value).ToList()))
            .Where(f => f.Types.Count > 1 || (f.Types.Count == 1 && f.Types[0] != Path.GetFileNameWithoutExtension(f.Path)))
            .Select(f => $"{Path.GetRelativePath(FixturePaths.RepoRoot, f.Path)}: {string.Join(", ", f.Types)}")
            .ToList();

    [Test]
    public void Each_file_holds_one_type_named_like_the_file()
    {
        var files = SourceFiles().Select(f => (f, File.ReadAllText(f))).ToList();
        Assert.That(files, Has.Count.GreaterThan(300), "the sources were not found");
        Assert.That(TypeFileMismatches(files), Is.Empty);
    }

    [Test]
    public void A_second_type_in_a_file_is_caught()
    {
        var text = "namespace X;\n\npublic sealed record Entry(string Id);\n\npublic static class Catalog\n{\n}\n";
        Assert.That(TypeFileMismatches([("/r/Catalog/Entry.cs", text)]), Has.Count.EqualTo(1).And.Some.EndsWith("Entry, Catalog"));
    }
}
