using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

public sealed record MetadataSection(
    string ModelName,
    string Precision,
    string ModelDirName,
    IReadOnlyList<string> SupportedGpus,
    string DatasetFile)
{
    public string ScriptFile { get; init; } = "disaggr_torch.slurm";
    public string? BenchmarkType { get; init; }
    public int? ConfigIndex { get; init; }

    /// <summary><c>metadata.metrics</c>: perf-parse override, merged key by key over the pair's defaults.</summary>
    public MetricsOverride Metrics { get; init; } = MetricsOverride.None;

    /// <summary><c>metadata.accuracy</c>: thresholds per dataset and the accuracy-parse override.</summary>
    public AccuracyThresholds AccuracyThresholds { get; init; } = AccuracyThresholds.None;

    /// <summary>False for a plain submit.py config without a <c>metadata</c> section (every field then has its default).</summary>
    public bool Declared { get; init; } = true;
}
