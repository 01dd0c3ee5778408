namespace Disagg.Harness.Catalog;

/// <summary>
/// A config on disk and the test id it has: <c>{test_type}_{category}_{stem}</c> from
/// <c>configs/&lt;type&gt;/&lt;category&gt;/&lt;stem&gt;.yaml</c>.
/// </summary>
public sealed record CatalogEntry(string TestId, string TestType, string Category, string Stem, string Path);
