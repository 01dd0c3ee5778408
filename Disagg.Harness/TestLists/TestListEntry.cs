using Disagg.Harness.Configuration;

namespace Disagg.Harness.TestLists;

/// <summary>One selected test: its id, where it was listed, and the markers that came with it.</summary>
public sealed record TestListEntry(string TestId, string File, int Line, int? TimeoutMinutes, string? SkipReason)
{
    /// <summary>The entry as written (node id or test id), for messages.</summary>
    public string Source { get; init; } = TestId;

    /// <summary><c>ISOLATION</c>: the test must run alone.</summary>
    public bool Isolation { get; init; }

    /// <summary>Perf-sanity entries only: <c>disagg_upload-</c> (true) or <c>disagg-</c> (false); null for other formats.</summary>
    public bool? Upload { get; init; }

    /// <summary>Perf-sanity entries with a mode token (<c>e2e</c>/<c>gen_only</c>); null means "take benchmark.mode from the YAML".</summary>
    public BenchmarkMode? Mode { get; init; }

    /// <summary>
    /// A waiver past its date (<c>SKIP (url) until 2026-01-31</c> read after that day): the test runs, and the report lists
    /// the waiver as stale, with where it was written. Null when there is none.
    /// </summary>
    public string? StaleWaiver { get; init; }

    /// <summary>Markers other than TIMEOUT, SKIP and ISOLATION, kept for reporting.</summary>
    public IReadOnlyList<string> OtherMarkers { get; init; } = [];
}
