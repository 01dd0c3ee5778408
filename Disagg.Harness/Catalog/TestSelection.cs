using Disagg.Harness.Common;
using Disagg.Harness.Configuration;
using Disagg.Harness.TestLists;

namespace Disagg.Harness.Catalog;

/// <summary>Resolves a parsed test list against the config tree: files only, never the cluster.</summary>
public static class TestSelection
{
    public static IReadOnlyList<SelectedCase> Resolve(string configRoot, TestList list, string? gpuType)
    {
        var gpu = GpuTypes.FilterKey(gpuType);
        var catalog = TestCatalog.Discover(configRoot).ToDictionary(e => e.TestId, StringComparer.Ordinal);
        // Loading is the cost of discovery; configs are independent, so they load in parallel, in list order.
        var cases = new SelectedCase[list.Entries.Count];
        Parallel.For(0, cases.Length, i => cases[i] = ResolveOne(list.Entries[i], catalog, configRoot, gpu));
        return cases;
    }

    private static SelectedCase ResolveOne(TestListEntry entry, Dictionary<string, CatalogEntry> catalog, string configRoot, string? gpu)
    {
        // A perf-sanity label names disagg/perf-sanity/<stem>; a tree that keeps the config in disagg/perf/ serves it too.
        if (!catalog.ContainsKey(entry.TestId) && entry.TestId.StartsWith(TestIdResolver.PerfSanityPrefix, StringComparison.Ordinal) &&
            catalog.ContainsKey("disagg_perf_" + entry.TestId[TestIdResolver.PerfSanityPrefix.Length..]))
            entry = entry with { TestId = "disagg_perf_" + entry.TestId[TestIdResolver.PerfSanityPrefix.Length..] };
        if (!catalog.TryGetValue(entry.TestId, out var config))
        {
            var near = TextSimilarity.Nearest(entry.TestId, catalog.Keys);
            return new SelectedCase(entry, null, [],
                $"{entry.File}:{entry.Line}: '{entry.TestId}' matches no config under {configRoot}"
                    + (near is null ? "" : $" (did you mean '{near}'?)"), null);
        }
        if (TestCatalog.CategoryError(config) is { } categoryError)
            return new SelectedCase(entry, config, [config.Category, config.TestType], $"{config.Path}: {categoryError}", null);
        DisaggConfig loaded;
        try
        {
            loaded = ConfigLoader.Load(config.Path);
        }
        catch (ConfigException e)
        {
            return new SelectedCase(entry, config, [config.Category, config.TestType],
                $"config {config.Path} is invalid; nothing will be submitted.{Environment.NewLine}{e.Message}", null);
        }
        var categories = TestTraits.Categories(config, loaded, entry.Mode);
        var skip = entry.SkipReason ?? GpuTypes.Exclusion(gpu, loaded.Metadata.SupportedGpus);
        return new SelectedCase(entry, config, categories, null, skip) { Loaded = loaded };
    }
}
