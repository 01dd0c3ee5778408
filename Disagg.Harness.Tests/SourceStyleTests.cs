using System.Text.RegularExpressions;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests;

/// <summary>
/// The style .editorconfig states and the build does not enforce: one top-level type per file, named like the file,
/// so a newcomer finds a type by its name; and no line longer than 160 characters.
/// </summary>
public sealed partial class SourceStyleTests
{
    private static readonly string[] Projects =
        ["Disagg.Harness", "Disagg.Harness.Tests", "Disagg.Sim", "Disagg.Sim.Tests", "Disagg.Tests", "Disagg.Cli", "Disagg.OpenSearchStandIn", "Disagg.Report"];

    /// <summary>The max_line_length of .editorconfig.</summary>
    public const int MaxLineLength = 160;

    [GeneratedRegex(@"^(?:public |internal |file )?(?:(?:sealed|static|abstract|partial|readonly|ref) )*" +
        @"(?:class|record struct|record|enum|interface|struct) (\w+)",
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

    /// <summary>
    /// Lines longer than <see cref="MaxLineLength"/>, as "file:line (length)". The inner lines of a multi-line raw string
    /// literal (after a line ending in """ up to the line starting with """) are exempt: their text is the string's value,
    /// so wrapping them would change it.
    /// </summary>
    public static IReadOnlyList<string> LongLines(IEnumerable<(string Path, string Text)> files)
    {
        var found = new List<string>();
        foreach (var (path, text) in files)
        {
            var inRawString = false;
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimEnd('\r');
                var trimmed = line.Trim();
                if (inRawString)
                {
                    if (!trimmed.StartsWith("\"\"\"", StringComparison.Ordinal)) continue;
                    inRawString = false;
                }
                else if (trimmed.EndsWith("\"\"\"", StringComparison.Ordinal) && RawStringQuotes().Matches(trimmed).Count == 1)
                {
                    inRawString = true;
                }
                if (line.Length > MaxLineLength)
                    found.Add($"{Path.GetRelativePath(FixturePaths.RepoRoot, path)}:{i + 1} ({line.Length})");
            }
        }
        return found;
    }

    [GeneratedRegex("\"{3,}")]
    private static partial Regex RawStringQuotes();

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

    [Test]
    public void No_line_is_longer_than_160_characters()
    {
        var files = SourceFiles().Select(f => (f, File.ReadAllText(f))).ToList();
        Assert.That(files, Has.Count.GreaterThan(300), "the sources were not found");
        Assert.That(LongLines(files), Is.Empty, $"wrap these lines at {MaxLineLength} characters");
    }

    [Test]
    public void A_long_line_is_caught_but_not_inside_a_raw_string()
    {
        var longCode = "        var x = \"" + new string('a', 160) + "\";";
        var longText = new string('b', 170);
        var text = "namespace X;\n\npublic static class Y\n{\n    public const string Raw = \"\"\"\n" + longText + "\n        \"\"\";\n\n" +
            longCode + "\n}\n";
        Assert.That(LongLines([(Path.Combine(FixturePaths.RepoRoot, "Y.cs"), text)]), Is.EqualTo(new[] { $"Y.cs:9 ({longCode.Length})" }));
    }
}
