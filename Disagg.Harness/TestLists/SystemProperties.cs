using Disagg.Harness.Configuration;

namespace Disagg.Harness.TestLists;

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
            if (eq <= 0)
                throw new ConfigException([new ConfigError("(system properties)", 0, 0, "",
                    $"'{pair}' is not key=value (e.g. gpu=gb200, system_gpu_count=12, stage=post_merge)")]);
            values[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return new SystemProperties(values, context);
    }
}
