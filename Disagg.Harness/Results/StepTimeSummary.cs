using System.Globalization;
using System.Text.RegularExpressions;
using Disagg.Harness.Common;

namespace Disagg.Harness.Results;

/// <summary>Summary of the gen workers' per-iteration device step times (docs/thresholds.md, "Gen step time").</summary>
public sealed record StepTimeSummary(int Iterations, double Mean, double Median, double Std, double P75, double P99, IReadOnlyList<string> Files)
{
    /// <summary>The values under their catalog names (<c>mean_gen_worker_per_iter_device_step_time</c>, ...).</summary>
    public IReadOnlyDictionary<string, double> Metrics => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["mean_gen_worker_per_iter_device_step_time"] = Mean,
        ["median_gen_worker_per_iter_device_step_time"] = Median,
        ["std_gen_worker_per_iter_device_step_time"] = Std,
        ["p75_gen_worker_per_iter_device_step_time"] = P75,
        ["p99_gen_worker_per_iter_device_step_time"] = P99,
    };
}
