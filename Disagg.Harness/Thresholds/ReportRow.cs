using System.Globalization;
using System.Text;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>One row of the report: a failed or warned check with everything needed to judge it.</summary>
public sealed record ReportRow(string Metric, int Concurrency, double? Value, string BoundOrBaseline, string Tolerance, double? DiffPercent, string Source);
