using System.Globalization;

namespace Disagg.Harness.Pipeline;

public enum StageStatus { Done, Failed, Skipped }
