using System.Globalization;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>The outcome of one dataset's hypothesis test, worded as TensorRT-LLM's accuracy tests word it.</summary>
public sealed record AccuracyVerdict(
    AccuracyDataset Dataset,
    double? ActualPercent,
    double ExpectedPercent,
    double ThresholdPercent,
    bool Passed,
    string Message);
