namespace Disagg.Harness.Configuration;

/// <summary>
/// The concurrencies a job runs: each listed value times the number of gen servers, because the client drives
/// every gen server at the listed concurrency through the one disagg server.
/// </summary>
public static class ExpectedConcurrencies
{
    public static IReadOnlyList<int> Of(DisaggConfig config) =>
        config.Benchmark.ConcurrencyList.Select(v => checked(v * config.Hardware.NumGenServers)).ToList();
}
