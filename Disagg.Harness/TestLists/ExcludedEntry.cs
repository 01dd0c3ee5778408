using Disagg.Harness.Configuration;

namespace Disagg.Harness.TestLists;

/// <summary>A list line that selects nothing, with the reason (condition not met, commented out, aggregated test, …).</summary>
public sealed record ExcludedEntry(string Source, string File, int Line, string Reason);
