using System.Globalization;
using System.Text;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Catalog;

/// <summary>
/// NUnit categories of a test, for <c>dotnet test --filter TestCategory=...</c>: category (perf/accuracy/stress),
/// test type (disagg/wideep), model, each supported GPU, the isl/osl class, the benchmark mode and the gen
/// cache-transceiver backend. Values are made filter-safe (anything outside <c>[A-Za-z0-9_.-]</c> becomes <c>-</c>).
/// </summary>
public static class TestTraits
{
    public static IReadOnlyList<string> Categories(CatalogEntry entry, DisaggConfig config, BenchmarkMode? modeOverride = null)
    {
        // A perf-sanity test is a perf test too, so TestCategory=perf selects it.
        var list = entry.Category == "perf-sanity" ? new List<string> { "perf", entry.Category } : [entry.Category];
        list.AddRange([entry.TestType, config.Metadata.ModelName]);
        list.AddRange(config.Metadata.SupportedGpus);
        list.Add(IslOslClass(config.Benchmark.InputLength, config.Benchmark.OutputLength));
        list.Add(ModeName(modeOverride ?? config.Benchmark.Mode));
        list.Add(config.Gen.CacheTransceiverBackend);
        return list.Select(Safe).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// <c>1k1k</c>-style class: when both lengths are multiples of 1024 (or 1000) each becomes <c>Nk</c> and they are
    /// joined directly (1024/1024 → <c>1k1k</c>, 8192/1024 → <c>8k1k</c>, 131072/8192 → <c>128k8k</c>); otherwise
    /// the numbers are joined with <c>-</c> so they stay unambiguous (128/32 → <c>128-32</c>, 1024/100 → <c>1k-100</c>).
    /// </summary>
    public static string IslOslClass(int isl, int osl)
    {
        var (i, ik) = Kilo(isl);
        var (o, ok) = Kilo(osl);
        return ik && ok ? i + o : $"{i}-{o}";
    }

    public static string ModeName(BenchmarkMode mode) => mode switch
    {
        BenchmarkMode.E2E => "e2e",
        BenchmarkMode.GenOnly => "gen_only",
        _ => "gen_only_no_context",
    };

    private static (string Text, bool IsKilo) Kilo(int n)
    {
        if (n > 0 && n % 1024 == 0) return ((n / 1024).ToString(CultureInfo.InvariantCulture) + "k", true);
        if (n > 0 && n % 1000 == 0) return ((n / 1000).ToString(CultureInfo.InvariantCulture) + "k", true);
        return (n.ToString(CultureInfo.InvariantCulture), false);
    }

    private static string Safe(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var ch in value.Trim()) sb.Append(char.IsAsciiLetterOrDigit(ch) || ch is '_' or '.' or '-' ? ch : '-');
        return sb.ToString();
    }
}
