using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

public enum AccuracyForm { Absent, Legacy, Tasks }
