using System.Globalization;
using System.Text;

namespace Disagg.Harness.Reporting;

public sealed record Chart(string Title, string XLabel, string YLabel, IReadOnlyList<ChartSeries> Series, IReadOnlyList<ChartRule> Rules)
{
    /// <summary>Ticks at the data's x values and a log2 scale when they span a factor of 8 or more (concurrency axes).</summary>
    public bool ConcurrencyAxis { get; init; }
}
