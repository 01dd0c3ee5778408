using Disagg.Harness.Catalog;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.TestLists;

namespace Disagg.Tests;

/// <summary>
/// Turns the selected test list into NUnit cases at discovery time. Reads only files (never the
/// cluster), so the IDE test explorer works on a laptop. A list entry without a config becomes a
/// failing case named after it instead of silently disappearing.
/// </summary>
public static class PerfCaseSource
{
    public const string Unresolved = "unresolved";

    public static IEnumerable<TestCaseData> Cases()
    {
        RunSettings settings;
        IReadOnlyList<TestListEntry> entries;
        try
        {
            settings = RunSettings.Resolve(name => TestContext.Parameters.Get(name));
            entries = TestListParser.Load(settings.TestList);
        }
        catch (Exception e) when (e is ConfigException or InvalidOperationException or IOException)
        {
            return [new TestCaseData("test_list_error", e.Message).SetArgDisplayNames("test_list_error")];
        }
        var catalog = TestCatalog.Discover(settings.ConfigRoot).ToDictionary(e => e.TestId, StringComparer.Ordinal);
        var cases = new List<TestCaseData>();
        foreach (var entry in entries.DistinctBy(e => e.TestId))
        {
            if (!catalog.TryGetValue(entry.TestId, out var config))
            {
                cases.Add(new TestCaseData(entry.TestId, $"{entry.File}:{entry.Line}: '{entry.TestId}' matches no config under {settings.ConfigRoot}")
                    .SetArgDisplayNames(entry.TestId));
                continue;
            }
            var data = new TestCaseData(entry.TestId, null).SetArgDisplayNames(entry.TestId);
            data.SetCategory(config.Category).SetCategory(config.TestType);
            if (entry.SkipReason is { } reason) data.Ignore(reason);
            cases.Add(data);
        }
        return cases;
    }
}
