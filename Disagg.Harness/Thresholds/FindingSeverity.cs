using System.Globalization;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

public enum FindingSeverity { Pass, Skipped, Warning, Failure }
