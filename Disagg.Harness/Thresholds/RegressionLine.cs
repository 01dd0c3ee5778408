using System.Globalization;

namespace Disagg.Harness.Thresholds;

/// <summary>One metric of one test case compared with its baseline, as <c>s_regression_info</c> lists it.</summary>
public sealed record RegressionLine(string Field, double Value, double Baseline, double Threshold, double DiffPercent)
{
    public string Text => string.Create(CultureInfo.InvariantCulture,
        $"  {Field}: value={Value:F4} baseline={Baseline:F4} threshold={Threshold * 100:F2}% diff={DiffPercent:+0.00;-0.00;+0.00}%");
}
