using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

public sealed record ProfilingSection(bool NsysOn, string CtxProfileRange, string GenProfileRange);
