using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

public sealed record HardwareSection(int GpusPerNode, int NumCtxServers, int NumGenServers);
