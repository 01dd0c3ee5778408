using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

public sealed record BenchmarkSection(
    BenchmarkMode Mode,
    bool UseNvSaBenchmark,
    int MultiRound,
    double? BenchmarkRatio,
    bool Streaming,
    IReadOnlyList<int> ConcurrencyList,
    int InputLength,
    int OutputLength,
    string DatasetFile,
    bool EnableBenchmark,
    IReadOnlyDictionary<string, string> EnvVar)
{
    /// <summary>True when the YAML says <c>dataset_file: ""</c>: the random dataset is chosen on purpose.</summary>
    public bool RandomDatasetChosen { get; init; }

    /// <summary>
    /// <c>use_aiperf: true</c> (a Disagg extension: upstream's index shows no key selecting run_benchmark_aiperf.sh): the aiperf
    /// client of the profile, a mooncake_trace <c>dataset_file</c>, results from each concurrency's profile_export_aiperf.json.
    /// </summary>
    public bool UseAiperf { get; init; }
}
