using System.Globalization;
using System.Text;

namespace Disagg.Harness.Reporting;

public sealed record ChartPoint(double X, double Y, string? Label = null);
