using Disagg.Harness.Common;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Catalog;

/// <summary>
/// The GPU types Disagg knows (docs/test-selection.md, "GPU filter"). <c>GPU_TYPE</c> selects the configs whose
/// <c>metadata.supported_gpus</c> contain it (exact, case-sensitive); any <c>GB200_*</c> variant counts as GB200.
/// An unknown type is rejected at startup instead of passing the filter and failing later.
/// </summary>
public static class GpuTypes
{
    public static readonly IReadOnlyList<string> Known = ["GB200", "GB200_LYRIS", "GB300", "H100", "B200", "B300"];

    /// <summary>The value matched against supported_gpus, or null for "no filter" (unset or empty).</summary>
    public static string? FilterKey(string? gpuType)
    {
        if (string.IsNullOrWhiteSpace(gpuType)) return null;
        gpuType = gpuType.Trim();
        if (!Known.Contains(gpuType, StringComparer.Ordinal))
        {
            var message = $"unknown GPU type '{gpuType}'; expected one of {string.Join(", ", Known)}{TextSimilarity.DidYouMean(gpuType, Known)}";
            throw new ConfigException([new ConfigError("GPU_TYPE", 0, 0, "", message)]);
        }
        return gpuType.StartsWith("GB200_", StringComparison.Ordinal) ? "GB200" : gpuType;
    }

    /// <summary>Why a config is excluded on this GPU, or null when it runs.</summary>
    public static string? Exclusion(string? filterKey, IReadOnlyList<string> supported) =>
        filterKey is null || supported.Contains(filterKey, StringComparer.Ordinal)
            ? null
            : $"not supported on {filterKey} (supported: [{string.Join(", ", supported)}])";
}
