using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// Maps metric names found in history (catalog names, OpenSearch <c>d_*</c> fields, and names of older
/// harness versions such as <c>DISAGG_SERVER_TTFT</c>) to catalog names. Unknown names yield null and are ignored.
/// </summary>
public static class HistoryMetricNames
{
    private static readonly Dictionary<string, string> Legacy = new(StringComparer.Ordinal)
    {
        ["DISAGG_SERVER_TTFT"] = "median_ttft_ms",
        ["SERVER_MEDIAN_TTFT"] = "median_ttft_ms",
        ["DISAGG_SERVER_E2EL"] = "median_e2el_ms",
        ["SERVER_MEDIAN_E2EL"] = "median_e2el_ms",
    };

    private static readonly Dictionary<string, string> ByField = MetricCatalog.All
        .Where(m => m.DocumentField is not null)
        .ToDictionary(m => m.DocumentField!, m => m.Name, StringComparer.Ordinal);

    public static string? ToCatalogName(string name) =>
        MetricCatalog.ByName(name) is not null ? name
        : ByField.TryGetValue(name, out var viaField) ? viaField
        : Legacy.GetValueOrDefault(name);
}
