using Disagg.Harness.Catalog;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Pipeline;

/// <summary>
/// One selected test as discovery built it: the config loaded once (never reloaded per test) and the list entry's
/// options. A case that cannot run carries its <see cref="Error"/> (bad list line, missing or invalid config).
/// </summary>
public sealed record PerfCase(string TestId, DisaggConfig? Config, CaseOptions Options, string? Error = null)
{
    /// <summary>What NUnit shows for the argument: the test id.</summary>
    public override string ToString() => TestId;

    public static PerfCase Of(string testId, DisaggConfig config, CaseOptions? options = null) => new(testId, config, options ?? CaseOptions.Default);

    public static PerfCase Failing(string testId, string error) => new(testId, null, CaseOptions.Default, error);

    /// <summary>
    /// The case of a resolved list entry. A perf-sanity mode token (<c>e2e</c>/<c>gen_only</c>) replaces the config's
    /// <c>benchmark.mode</c>, because the same YAML is listed once per mode (see <see cref="ForLabelMode"/>).
    /// </summary>
    public static PerfCase From(SelectedCase selected)
    {
        var entry = selected.Entry;
        var options = new CaseOptions(
            entry.TimeoutMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
            entry.Upload ?? true,
            entry.Isolation) { StaleWaiver = entry.StaleWaiver };
        if (selected.Error is not null || selected.Loaded is null) return new PerfCase(selected.TestId, null, options, selected.Error ?? "config not loaded");
        var config = entry.Mode is { } mode ? ForLabelMode(selected.Loaded, mode) : selected.Loaded;
        return new PerfCase(selected.TestId, config, options);
    }

    /// <summary>
    /// The config a perf-sanity label runs. <c>e2e</c> runs the YAML's concurrencies and rounds. <c>gen_only</c> measures
    /// one round of the first listed concurrency, as perf-sanity runs it, so the case names and values of its documents
    /// continue that history; a YAML that asks for <c>gen_only_no_context</c> keeps it.
    /// </summary>
    public static DisaggConfig ForLabelMode(DisaggConfig config, BenchmarkMode mode)
    {
        var benchmark = config.Benchmark;
        if (mode != BenchmarkMode.GenOnly) return config with { Benchmark = benchmark with { Mode = mode } };
        return config with
        {
            Benchmark = benchmark with
            {
                Mode = benchmark.Mode == BenchmarkMode.GenOnlyNoContext ? BenchmarkMode.GenOnlyNoContext : BenchmarkMode.GenOnly,
                MultiRound = 1,
                ConcurrencyList = [.. benchmark.ConcurrencyList.Take(1)],
            },
        };
    }
}
