using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

public sealed record EnvironmentSection(
    string ContainerImage,
    string ContainerMount,
    string ModelPath,
    string TrtllmRepo,
    bool BuildWheel,
    string CudaArchitectures,
    string TrtllmWheelPath,
    string WorkDir,
    IReadOnlyDictionary<string, string> WorkerEnv,
    IReadOnlyDictionary<string, string> CtxWorkerEnv,
    IReadOnlyDictionary<string, string> GenWorkerEnv,
    IReadOnlyDictionary<string, string> ServerEnv)
{
    public string LogDir { get; init; } = "";
}
