using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>One test config file, fully typed. Mirrors the reference schema section by section.</summary>
public sealed record DisaggConfig(
    string SourceFile,
    MetadataSection Metadata,
    SlurmSection Slurm,
    BenchmarkSection Benchmark,
    HardwareSection Hardware,
    EnvironmentSection Environment,
    ProfilingSection Profiling,
    AccuracySection Accuracy,
    WorkerConfig Ctx,
    WorkerConfig Gen,
    IReadOnlyList<ThresholdRule> Thresholds)
{
    /// <summary>Problems that do not stop the test, such as a file name that disagrees with the content.</summary>
    public IReadOnlyList<ConfigError> Warnings { get; init; } = [];

    /// <summary>The <c>regression:</c> section (docs/thresholds.md §3); the defaults when the section is absent.</summary>
    public RegressionSettings Regression { get; init; } = RegressionSettings.Default;

    /// <summary>
    /// Every <c>&lt;placeholder&gt;</c> value the file holds outside <c>worker_config</c>, where it stands; see
    /// <see cref="PlaceholderCheck"/>.
    /// </summary>
    public IReadOnlyList<PlaceholderField> Placeholders { get; init; } = [];

    /// <summary>Where the keys checked after the environment overrides stand (or their nearest section), for file:line messages.</summary>
    public IReadOnlyDictionary<string, (int Line, int Column)> Positions { get; init; } = new Dictionary<string, (int, int)>();
}
