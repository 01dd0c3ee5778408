using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

public sealed record SlurmSection(
    string Partition,
    string Account,
    TimeSpan JobTime,
    string JobName,
    IReadOnlyList<string> ExtraArgs,
    bool SetSegment,
    bool NumaBind)
{
    public string? ScriptFile { get; init; }

    /// <summary>Set when DISAGG_SLURM_PARTITION replaced the partition: the environment then wins over the cluster profile.</summary>
    public bool PartitionFromEnvironment { get; init; }

    /// <summary>Set when DISAGG_SLURM_ACCOUNT replaced the account: the environment then wins over the cluster profile.</summary>
    public bool AccountFromEnvironment { get; init; }
}
