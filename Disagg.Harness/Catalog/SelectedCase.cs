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
    /// <summary>The config as discovery loaded it (null when it could not be loaded); tests run with exactly this.</summary>
    public DisaggConfig? Loaded { get; init; }

    public string TestId => Entry.TestId;
}
