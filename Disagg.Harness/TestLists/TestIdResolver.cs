using System.Text.RegularExpressions;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.TestLists;

/// <summary>
/// Maps every accepted spelling of a test to Disagg's id <c>{test_type}_{category}_{stem}</c>:
/// the id itself; the old harness's <c>test_disagg.py::TestDisaggBenchmark::test_{benchmark|accuracy|stress}[id]</c>
/// (the function must agree with the category); and perf-sanity
/// <c>perf/test_perf_sanity.py::test_e2e[disagg[_upload]-{e2e|gen_only}-stem]</c> or its bare label
/// <c>disagg[_upload]-{e2e|gen_only}-stem</c>, which map to <c>disagg_perf-sanity_stem</c> (the config in
/// <c>disagg/perf-sanity/</c>, as upstream keeps it; discovery falls back to <c>disagg/perf/</c>) keeping the upload
/// flag and mode (the older label without a mode token takes the mode from the YAML).
/// </summary>
public static partial class TestIdResolver
{
    [GeneratedRegex(@"^(?:[\w/.]*/)?test_disagg\.py::TestDisaggBenchmark::test_(?<fn>\w+)\[(?<id>[^\]]+)\]$")]
    private static partial Regex HarnessNodeId();

    [GeneratedRegex(@"^(?:perf/)?test_perf_sanity\.py::test_e2e\[(?<label>[^\]]+)\]$")]
    private static partial Regex PerfSanityNodeId();

    [GeneratedRegex(@"^[a-z0-9]+_(?<cat>[a-z-]+?)_.+$")]
    private static partial Regex IdShape();

    [GeneratedRegex(@"^(?:disagg|disagg_upload|aggr|aggr_upload)-.")]
    private static partial Regex BareSanityLabel();

    /// <summary>The prefix of the ids perf-sanity labels resolve to: the config folder upstream keeps them in.</summary>
    public const string PerfSanityPrefix = "disagg_perf-sanity_";

    private static readonly Dictionary<string, string> FunctionCategory = new(StringComparer.Ordinal)
    {
        ["benchmark"] = "perf",
        ["accuracy"] = "accuracy",
        ["stress"] = "stress",
    };

    public static ResolvedId Resolve(string text)
    {
        if (HarnessNodeId().Match(text) is { Success: true } node)
        {
            var fn = node.Groups["fn"].Value;
            var id = node.Groups["id"].Value;
            if (!FunctionCategory.TryGetValue(fn, out var category))
                return Fail($"'test_{fn}' is not a harness test function; expected test_benchmark, test_accuracy or test_stress");
            if (IdShape().Match(id) is { Success: true } shape && shape.Groups["cat"].Value is var idCategory && idCategory != category)
            {
                var right = FunctionCategory.FirstOrDefault(kv => kv.Value == idCategory).Key;
                return Fail($"test_{fn} runs {category} tests but '{id}' is a{(idCategory.StartsWith('a') ? "n" : "")} {idCategory} test id"
                    + (right is null ? "" : $"; use test_{right}"));
            }
            return Checked(id);
        }
        var label = PerfSanityNodeId().Match(text) is { Success: true } sanity ? sanity.Groups["label"].Value
            : BareSanityLabel().IsMatch(text) ? text : null;
        if (label is not null)
        {
            var parts = label.Split('-');
            var kind = parts[0];
            if (kind is "aggr" or "aggr_upload")
                return new ResolvedId(null, null, null, "aggregated perf-sanity test; Disagg runs disaggregated tests only", null);
            if (kind is not ("disagg" or "disagg_upload") || parts.Length < 2)
                return Fail($"cannot read perf-sanity label '{label}'; expected disagg[_upload]-<e2e|gen_only>-<config stem>");
            BenchmarkMode? mode = parts[1] switch { "e2e" => BenchmarkMode.E2E, "gen_only" => BenchmarkMode.GenOnly, _ => null };
            var stem = string.Join('-', parts.Skip(mode is null ? 1 : 2));
            if (stem.Length == 0) return Fail($"perf-sanity label '{label}' names no config");
            var resolved = Checked(PerfSanityPrefix + stem);
            return resolved with { Upload = kind == "disagg_upload", Mode = mode };
        }
        if (text.Contains("::", StringComparison.Ordinal))
            return Fail($"'{text}' is not a Disagg test id, a test_disagg.py node id or a test_perf_sanity.py::test_e2e node id");
        return Checked(text);
    }

    private static ResolvedId Checked(string id) =>
        FilterSafeId.IsMatch(id)
            ? new ResolvedId(id, null, null, null, null)
            : Fail($"'{id}' is not a valid test id: only letters, digits and _ . - are allowed");

    private static ResolvedId Fail(string message) => new(null, null, null, null, message);
}
