using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

public sealed record AccuracySection(bool Enabled, IReadOnlyList<AccuracyTask> Tasks, IReadOnlyDictionary<string, string> EnvVar)
{
    /// <summary>Whether the section was absent (defaults), the legacy flat form or the <c>tasks:</c> mapping form.</summary>
    public AccuracyForm Form { get; init; } = AccuracyForm.Absent;
}
