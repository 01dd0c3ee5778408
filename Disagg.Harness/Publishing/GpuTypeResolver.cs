using System.Text.RegularExpressions;

namespace Disagg.Harness.Publishing;

/// <summary>
/// The <c>s_gpu_type</c> of a run: the last word of the first GPU's product name (as <c>nvidia-smi</c> reports it on the
/// job's nodes, captured in <c>system_facts.txt</c>) mapped to <c>gb200</c>, <c>gb300</c>, <c>b200</c>, <c>b300</c> or
/// <c>h200</c>, else <c>unsupported</c>. <c>DISAGG_GPU_TYPE</c>, then <c>GPU_TYPE</c>, override it (a <c>_</c> suffix such
/// as <c>GB200_LYRIS</c> names the same GPU).
/// </summary>
public static partial class GpuTypeResolver
{
    public const string Unsupported = "unsupported";

    private static readonly Dictionary<string, string> Supported = new(StringComparer.Ordinal)
    {
        ["GB200"] = "gb200",
        ["GB300"] = "gb300",
        ["B200"] = "b200",
        ["B300"] = "b300",
        ["H200"] = "h200",
    };

    // One line of "nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader", optionally
    // prefixed with the task number "srun -l" adds: "0: 0, NVIDIA GB200, 570.124.06, 189471 MiB".
    [GeneratedRegex(@"^\s*(?:\d+:\s*)?\d+,\s*(?<name>[^,]+?)\s*,", RegexOptions.Multiline)]
    private static partial Regex QueryGpuLine();

    // "nvidia-smi -q": "    Product Name                          : NVIDIA GB200".
    [GeneratedRegex(@"Product Name\s*:\s*(?<name>.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex ProductNameLine();

    /// <summary>The type from <c>system_facts.txt</c> (or <c>nvidia-smi -q</c> output); null when it names no GPU.</summary>
    public static string? FromSystemFacts(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var match = ProductNameLine().Match(text) is { Success: true } product ? product : QueryGpuLine().Match(text);
        if (!match.Success) return null;
        var words = match.Groups["name"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? null : Supported.GetValueOrDefault(words[^1], Unsupported);
    }

    /// <summary>The override variable's type; null when neither is set.</summary>
    public static string? FromEnvironment(IReadOnlyDictionary<string, string> env)
    {
        var value = new[] { "DISAGG_GPU_TYPE", "GPU_TYPE" }.Select(n => env.GetValueOrDefault(n)?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        if (value is null) return null;
        var name = value.ToUpperInvariant().Split('_')[0];
        return Supported.GetValueOrDefault(name, Unsupported);
    }

    public static string Resolve(IReadOnlyDictionary<string, string> env, string? systemFacts) =>
        FromEnvironment(env) ?? FromSystemFacts(systemFacts) ?? Unsupported;
}
