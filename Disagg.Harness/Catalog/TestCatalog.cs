using Disagg.Harness.Common;

namespace Disagg.Harness.Catalog;

public static class TestCatalog
{
    public static readonly IReadOnlyList<string> Categories = ["perf", "accuracy", "stress"];

    /// <summary>
    /// The (test_type, category) pairs that have default metrics (docs/test-selection.md), plus upstream's perf-sanity folder
    /// (<c>disagg/perf-sanity</c>: configs run by the test-db lists, judged as disagg perf tests).
    /// </summary>
    public static readonly IReadOnlyList<(string TestType, string Category)> ValidPairs =
        [("disagg", "perf"), ("wideep", "perf"), ("disagg", "stress"), ("disagg", "accuracy"), ("wideep", "accuracy"), ("disagg", "perf-sanity")];

    /// <summary>Why a config's folder is not a runnable (test_type, category) pair or its id is not filter-safe, or null.</summary>
    public static string? CategoryError(CatalogEntry entry)
    {
        if (!ValidPairs.Contains((entry.TestType, entry.Category)))
            return $"'{entry.TestType}/{entry.Category}' is not a known test type/category; " +
                $"expected one of {string.Join(", ", ValidPairs.Select(p => $"{p.TestType}/{p.Category}"))}";
        if (!FilterSafeId.IsMatch(entry.TestId))
            return $"test id '{entry.TestId}' has characters that dotnet test --filter cannot match; rename the file using only letters, digits and _ . -";
        return null;
    }

    /// <summary>Every config under the root, sorted by path so discovery order never depends on the filesystem.</summary>
    public static IReadOnlyList<CatalogEntry> Discover(string configRoot)
    {
        if (!Directory.Exists(configRoot)) return [];
        var entries = new List<CatalogEntry>();
        foreach (var typeDir in Directory.GetDirectories(configRoot).Order(StringComparer.Ordinal))
        {
            var type = System.IO.Path.GetFileName(typeDir);
            if (type == "templates") continue;
            foreach (var categoryDir in Directory.GetDirectories(typeDir).Order(StringComparer.Ordinal))
            {
                var category = System.IO.Path.GetFileName(categoryDir);
                foreach (var file in Directory.GetFiles(categoryDir, "*.yaml").Order(StringComparer.Ordinal))
                {
                    var stem = System.IO.Path.GetFileNameWithoutExtension(file);
                    entries.Add(new CatalogEntry($"{type}_{category}_{stem}", type, category, stem, file));
                }
            }
        }
        return entries;
    }
}
