using System.Globalization;
using System.Text;

namespace Disagg.Harness.Reporting;

/// <summary>A line with markers. <paramref name="Dashed"/> series are drawn without markers (baselines).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points, int Color, bool Dashed = false);
