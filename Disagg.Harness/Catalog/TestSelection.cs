using Disagg.Harness.Common;
using Disagg.Harness.Configuration;
using Disagg.Harness.TestLists;

namespace Disagg.Harness.Catalog;

/// <summary>
/// One test case as discovery sees it. Exactly one of three states: runnable (<see cref="Error"/> and
/// <see cref="SkipReason"/> null), skipped with a reason (waiver, GPU filter), or failing with the errors
/// (no such config, config invalid). Nothing a list names is ever dropped silently.
/// </summary>
public sealed record SelectedCase(TestListEntry Entry, CatalogEntry? Config, IReadOnlyList<string> Categories, string? Error, string? SkipReason)
{
    public string TestId => Entry.TestId;
}

/// <summary>Resolves a parsed test list against the config tree: files only, never the cluster.</summary>
public static class TestSelection
{
    public static IReadOnlyList<SelectedCase> Resolve(string configRoot, TestList list, string? gpuType)
    {
        var gpu = GpuTypes.FilterKey(gpuType);
        var catalog = TestCatalog.Discover(configRoot).ToDictionary(e => e.TestId, StringComparer.Ordinal);
        var cases = new List<SelectedCase>(list.Entries.Count);
        foreach (var entry in list.Entries)
        {
            if (!catalog.TryGetValue(entry.TestId, out var config))
            {
                var near = TextSimilarity.Nearest(entry.TestId, catalog.Keys);
                cases.Add(new SelectedCase(entry, null, [], $"{entry.File}:{entry.Line}: '{entry.TestId}' matches no config under {configRoot}" + (near is null ? "" : $" (did you mean '{near}'?)"), null));
                continue;
            }
            if (TestCatalog.CategoryError(config) is { } categoryError)
            {
                cases.Add(new SelectedCase(entry, config, [config.Category, config.TestType], $"{config.Path}: {categoryError}", null));
                continue;
            }
            DisaggConfig loaded;
            try
            {
                loaded = ConfigLoader.Load(config.Path);
            }
            catch (ConfigException e)
            {
                cases.Add(new SelectedCase(entry, config, [config.Category, config.TestType], $"config {config.Path} is invalid; nothing will be submitted.{Environment.NewLine}{e.Message}", null));
                continue;
            }
            var categories = TestTraits.Categories(config, loaded, entry.Mode);
            var skip = entry.SkipReason ?? GpuTypes.Exclusion(gpu, loaded.Metadata.SupportedGpus);
            cases.Add(new SelectedCase(entry, config, categories, null, skip));
        }
        return cases;
    }
}
