using Disagg.Harness.Configuration;

namespace Disagg.Harness.TestLists;

/// <summary>A parsed list: the selected entries (duplicates removed), the excluded ones and warnings.</summary>
public sealed record TestList(
    string File,
    TestListFormat Format,
    IReadOnlyList<TestListEntry> Entries,
    IReadOnlyList<ExcludedEntry> Excluded,
    IReadOnlyList<ConfigError> Warnings);
