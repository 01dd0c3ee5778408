using System.Globalization;
using System.Text;

namespace Disagg.Sim.Benchmark.Aiperf;

/// <summary>
/// aiperf's end-of-run console output with <c>--ui simple</c>: the "NVIDIA AIPerf | LLM Metrics" table (avg, min, max,
/// p99, p90, p50, std per metric; derived metrics fill avg only), the error summary, then the CLI command, the
/// benchmark duration and where the exports went.
/// </summary>
internal static class AiperfConsole
{
    private static readonly string[] Columns = ["avg", "min", "max", "p99", "p90", "p50", "std"];

    public static string Render(AiperfSummary summary, AiperfOptions options, string jsonPath, string csvPath)
    {
        var rows = summary.Stats.Where(s => s.Tag != "benchmark_duration")
            .Select(s => (Name: s.Header, Cells: Columns.Select(c => s.IsRecord || c == "avg" ? Format(s.Field(c)) : "N/A").ToArray()))
            .ToList();
        var nameWidth = Math.Max("Metric".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length));
        var widths = Columns.Select((c, i) => Math.Max(c.Length, rows.Count == 0 ? 0 : rows.Max(r => r.Cells[i].Length))).ToArray();
        var sb = new StringBuilder();
        var total = nameWidth + widths.Sum() + (3 * Columns.Length) + 4;
        const string title = "NVIDIA AIPerf | LLM Metrics";
        sb.Append(' ', Math.Max(0, (total - title.Length) / 2)).Append(title).Append('\n');
        sb.Append(Rule('┏', '┳', '┓', '━', nameWidth, widths));
        sb.Append("┃ ").Append("Metric".PadRight(nameWidth)).Append(' ');
        for (var i = 0; i < Columns.Length; i++)
        {
            sb.Append("┃ ").Append(Columns[i].PadLeft(widths[i])).Append(' ');
        }

        sb.Append("┃\n").Append(Rule('┡', '╇', '┩', '━', nameWidth, widths));
        foreach (var (name, cells) in rows)
        {
            sb.Append("│ ").Append(name.PadRight(nameWidth)).Append(' ');
            for (var i = 0; i < cells.Length; i++)
            {
                sb.Append("│ ").Append(cells[i].PadLeft(widths[i])).Append(' ');
            }

            sb.Append("│\n");
        }

        sb.Append(Rule('└', '┴', '┘', '─', nameWidth, widths));
        foreach (var (type, message, code, count) in summary.Errors)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Error: {type} (code {code}): {message} - {count} request(s)\n");
        }

        sb.Append("\nCLI Command: ").Append(options.CommandLine).Append('\n');
        sb.Append("Benchmark Duration: ").Append(summary.DurationS.ToString("0.00", CultureInfo.InvariantCulture)).Append(" sec\n");
        sb.Append("CSV Export: ").Append(csvPath).Append('\n');
        sb.Append("JSON Export: ").Append(jsonPath).Append('\n');
        return sb.ToString();
    }

    private static string Rule(char left, char middle, char right, char line, int nameWidth, int[] widths)
    {
        var sb = new StringBuilder().Append(left).Append(line, nameWidth + 2);
        foreach (var w in widths)
        {
            sb.Append(middle).Append(line, w + 2);
        }

        return sb.Append(right).Append('\n').ToString();
    }

    private static string Format(double value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);
}
