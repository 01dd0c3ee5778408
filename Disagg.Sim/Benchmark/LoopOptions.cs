using Disagg.Sim.Cli;

namespace Disagg.Sim.Benchmark;

/// <summary>The run_benchmark.sh arguments: one benchmark run per concurrency-list value (× num_gen_servers).</summary>
internal sealed record LoopOptions(IReadOnlyList<int> ConcurrencyList, int MultiRound, int NumGenServers, int UcxWarmupRequests, string LogPath)
{
    /// <summary>
    /// Parses a space-separated list. A comma is an error: run_benchmark.sh would evaluate "1,2,4" with bash's comma
    /// operator and silently run only the last value.
    /// </summary>
    public static IReadOnlyList<int> ParseConcurrencyList(string text)
    {
        if (text.Contains(',', StringComparison.Ordinal))
        {
            throw new UsageException(
                $"argument --concurrency-list: '{text}' contains a comma; separate values with spaces, e.g. '{text.Replace(',', ' ')}' "
                + "(run_benchmark.sh would silently run only the last value)");
        }

        var values = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (values.Length == 0)
        {
            throw new UsageException("argument --concurrency-list: expected at least one value, e.g. '1 4 16'");
        }

        return values.Select(v => int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new UsageException($"argument --concurrency-list: '{v}' is not a positive integer")).ToList();
    }
}
