using System.Globalization;
using System.Text;

namespace Disagg.Harness.Reporting;

/// <summary>A reference line across the whole plot: horizontal at y = Value, or vertical at x = Value.</summary>
public sealed record ChartRule(string Name, double Value, int Color, bool Vertical = false);
