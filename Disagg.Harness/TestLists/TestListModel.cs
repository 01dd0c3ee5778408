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

    /// <summary>Markers other than TIMEOUT, SKIP and ISOLATION, kept for reporting.</summary>
    public IReadOnlyList<string> OtherMarkers { get; init; } = [];
}

/// <summary>A list line that selects nothing, with the reason (condition not met, commented out, aggregated test, …).</summary>
public sealed record ExcludedEntry(string Source, string File, int Line, string Reason);

public enum TestListFormat { Native, TestDb }

/// <summary>A parsed list: the selected entries (duplicates removed), the excluded ones and warnings.</summary>
public sealed record TestList(string File, TestListFormat Format, IReadOnlyList<TestListEntry> Entries, IReadOnlyList<ExcludedEntry> Excluded, IReadOnlyList<ConfigError> Warnings);

/// <summary>
/// The machine description that test-db conditions are evaluated against (<c>gpu</c>, <c>system_gpu_count</c>,
/// <c>stage</c>, <c>backend</c>, …), and optionally the test-db context to read (default: every context).
/// </summary>
public sealed record SystemProperties(IReadOnlyDictionary<string, string> Values, string? Context = null)
{
    public static readonly SystemProperties None = new(new Dictionary<string, string>());

    /// <summary>Reads <c>key=value</c> pairs (command line <c>--property</c>, or <c>DISAGG_SYSTEM_PROPERTIES</c> split on commas).</summary>
    public static SystemProperties Parse(IEnumerable<string> pairs, string? context = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new ConfigException([new ConfigError("(system properties)", 0, 0, "", $"'{pair}' is not key=value (e.g. gpu=gb200, system_gpu_count=12, stage=post_merge)")]);
            values[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return new SystemProperties(values, context);
    }
}
