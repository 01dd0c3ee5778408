using System.Globalization;
using System.Text;
using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>The perf verdict of one test: failing rows, warning rows, and other problems, with one message for all.</summary>
public sealed record PerfReport(string TestCase, IReadOnlyList<ReportRow> Failures, IReadOnlyList<ReportRow> Warnings, IReadOnlyList<string> Problems)
{
    public bool Passed => Failures.Count == 0 && Problems.Count == 0;

    /// <summary>Every failure in one message (for one assertion), then the warnings separately.</summary>
    public string Message => VerdictReport.Format(this);
}
