namespace Disagg.Harness.Configuration;

/// <summary>
/// The concurrencies a job runs: each listed value times the number of gen servers, because the client drives
/// every gen server at the listed concurrency through the one disagg server. The aiperf client (<c>use_aiperf</c>) runs the
/// listed values as they are, as run_benchmark_aiperf.sh does.
/// </summary>
public static class ExpectedConcurrencies
{
    public static IReadOnlyList<int> Of(DisaggConfig config) =>
        config.Benchmark.ConcurrencyList.Select(v => config.Benchmark.UseAiperf ? v : checked(v * config.Hardware.NumGenServers)).ToList();
}
