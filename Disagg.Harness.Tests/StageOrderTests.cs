using System.Text.RegularExpressions;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests;

/// <summary>
/// The harness's folders are the pipeline's stages; a folder may use earlier stages only, never a later one, so the
/// code reads in the order a test runs and no two folders need each other. <c>docs/architecture.md</c> shows the order.
/// </summary>
public sealed partial class StageOrderTests
{
    /// <summary>Earliest first: Common is the leaf every stage may use; Cli sits on top of everything.</summary>
    public static readonly IReadOnlyList<string> Order =
    [
        "Common", "Configuration", "TestLists", "Catalog", "Cluster", "Rendering", "Execution", "Results", "Thresholds",
        "Publishing", "Diagnostics", "Reporting", "Pipeline", "Cli",
    ];

    [GeneratedRegex(@"\bDisagg\.Harness\.(\w+)\b|(?<![\w.])Harness\.(\w+)\.")]
    private static partial Regex Reference();

    /// <summary>Every reference from a folder to a later stage, as "Folder/File.cs -> Stage".</summary>
    public static IReadOnlyList<string> Violations(IEnumerable<(string Folder, string File, string Text)> sources)
    {
        var rank = Order.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (folder, file, text) in sources)
        {
            if (!rank.TryGetValue(folder, out var own)) { found.Add($"{folder}/{file}: folder '{folder}' has no place in the stage order"); continue; }
            foreach (Match m in Reference().Matches(text))
            {
                var target = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                if (rank.TryGetValue(target, out var other) && other > own) found.Add($"{folder}/{file} -> {target}");
            }
        }
        return [.. found];
    }

    private static IEnumerable<(string Folder, string File, string Text)> HarnessSources()
    {
        var root = Path.Combine(FixturePaths.RepoRoot, "Disagg.Harness");
        foreach (var dir in Directory.GetDirectories(root).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
            foreach (var file in Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories))
                yield return (Path.GetFileName(dir), Path.GetRelativePath(dir, file), File.ReadAllText(file));
    }

    [Test]
    public void No_stage_uses_a_later_stage()
    {
        var sources = HarnessSources().ToList();
        Assert.That(sources, Has.Count.GreaterThan(100), "the harness sources were not found");
        Assert.That(Violations(sources), Is.Empty);
    }

    [Test]
    public void A_reintroduced_loop_is_caught()
    {
        var sources = new[]
        {
            ("Configuration", "DisaggConfig.cs", "using Disagg.Harness.Thresholds;\nnamespace Disagg.Harness.Configuration;"),
            ("Thresholds", "JobJudge.cs", "using Disagg.Harness.Configuration;\nnamespace Disagg.Harness.Thresholds;"),
            ("Execution", "JobFollow.cs", "var x = Harness.Publishing.ResultPublisher.CurrentEnvironment();"),
            ("Extras", "Helper.cs", "namespace Disagg.Harness.Extras;"),
        };
        Assert.That(Violations(sources), Is.EqualTo(new[]
        {
            "Configuration/DisaggConfig.cs -> Thresholds",
            "Execution/JobFollow.cs -> Publishing",
            "Extras/Helper.cs: folder 'Extras' has no place in the stage order",
        }));
    }
}
