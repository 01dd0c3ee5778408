using System.Xml;
using Disagg.Harness.Catalog;
using Disagg.Harness.Configuration;
using Disagg.Harness.Reporting;

namespace Disagg.Harness.Cli;

/// <summary>
/// <c>disagg junit &lt;results-dir&gt; [--project-dir DIR] [--config-root DIR]</c>: rewrites the run's
/// <c>disagg-perf.junit.xml</c> for CI consumers (<see cref="JunitReport"/>): valid against the Jenkins xUnit plugin's
/// junit-10.xsd, categories as suite properties, waiver URLs in <c>&lt;skipped message&gt;</c>, attachments relative to
/// the CI project folder (<c>CI_PROJECT_DIR</c>, <c>WORKSPACE</c>, else the repository root) with the diagnosis archive
/// first. run_disagg_test.sh calls it after the tests. Exit 0 when rewritten (warnings are printed), 1 when the file is
/// missing or not XML, 2 when the results folder does not exist.
/// </summary>
public static class JunitCommand
{
    public static int Run(string resultsDir, string projectDir, string configRoot, TextWriter output, TextWriter error)
    {
        if (!Directory.Exists(resultsDir))
        {
            error.WriteLine($"junit: results directory '{resultsDir}' does not exist");
            return ExitCodes.BadInput;
        }
        var file = Path.Combine(resultsDir, JunitReport.FileName);
        if (!File.Exists(file))
        {
            error.WriteLine($"junit: {file} does not exist; the test run wrote no JUnit report (see the dotnet test output above)");
            return ExitCodes.Failed;
        }
        IReadOnlyList<string> warnings;
        try
        {
            warnings = JunitReport.RewriteFile(file, projectDir, CategoriesFrom(configRoot));
        }
        catch (Exception e) when (e is XmlException or InvalidDataException)
        {
            error.WriteLine($"junit: {file} is not a JUnit report ({e.Message}); it was left unchanged");
            return ExitCodes.Failed;
        }
        foreach (var w in warnings) error.WriteLine("junit: warning: " + w);
        output.WriteLine($"[disagg] junit: rewrote {file} for GitLab and Jenkins (junit-10.xsd); attachments relative to {projectDir}");
        return ExitCodes.Ok;
    }

    /// <summary>Categories as discovery gives them (Disagg.Tests/PerfCaseSource.cs), from the configs under the root.</summary>
    public static JunitReport.CategoryLookup CategoriesFrom(string configRoot)
    {
        var entries = TestCatalog.Discover(configRoot).GroupBy(e => e.TestId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return (testId, mode) =>
        {
            if (!entries.TryGetValue(testId, out var entry)) return [];
            DisaggConfig config;
            try { config = ConfigLoader.Load(entry.Path); }
            catch (ConfigException) { return []; }
            var modeOverride = Enum.GetValues<BenchmarkMode>().Where(m => TestTraits.ModeName(m) == mode).Select(m => (BenchmarkMode?)m).FirstOrDefault();
            return TestTraits.Categories(entry, config, modeOverride);
        };
    }
}
