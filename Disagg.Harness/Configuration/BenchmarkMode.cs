using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

public enum BenchmarkMode { E2E, GenOnly, GenOnlyNoContext }
