using System.Globalization;

namespace Disagg.Harness.Results;

/// <summary>
/// Reads lm_eval's markdown result tables (<c>|Tasks|Version|Filter|n-shot|Metric| |Value| |Stderr|</c>).
/// Columns are found by header name, so older column orders work. A row with an empty task cell
/// continues the task above (lm_eval prints the <c>strict-match</c> row under <c>flexible-extract</c> that way);
/// sub-task names lose their leading <c>- </c>. Rows whose value is not a number are skipped.
/// </summary>
public static class LmEvalTable
{
    public static IReadOnlyList<LmEvalRow> Parse(string text)
    {
        var rows = new List<LmEvalRow>();
        Dictionary<string, int>? columns = null;
        var task = "";
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = BenchmarkLogParser.Normalize(lines[i]).Trim();
            if (!line.StartsWith('|'))
            {
                columns = null;
                continue;
            }
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Contains("Value") && (cells.Contains("Tasks") || cells.Contains("Groups")))
            {
                columns = cells.Select((c, idx) => (c, idx)).Where(p => p.c.Length > 0).GroupBy(p => p.c)
                    .ToDictionary(g => g.Key, g => g.First().idx, StringComparer.Ordinal);
                task = "";
                continue;
            }
            if (columns is null || cells.All(c => c.Length == 0 || c.All(ch => ch is '-' or ':'))) continue;
            var taskCell = Cell(cells, columns, "Tasks") ?? Cell(cells, columns, "Groups") ?? "";
            if (taskCell.Length > 0) task = taskCell.TrimStart('-', ' ');
            if (!double.TryParse(Cell(cells, columns, "Value"), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
            double? stderr = double.TryParse(Cell(cells, columns, "Stderr"), NumberStyles.Float, CultureInfo.InvariantCulture, out var se) ? se : null;
            rows.Add(new LmEvalRow(task, Cell(cells, columns, "Filter") ?? "", Cell(cells, columns, "Metric") ?? "", value, stderr, i + 1));
        }
        return rows;
    }

    /// <summary>The row of a dataset and filter (first metric listed), or null.</summary>
    public static LmEvalRow? Find(IReadOnlyList<LmEvalRow> rows, string dataset, string filter) =>
        rows.FirstOrDefault(r => r.Task == dataset && r.Filter == filter);

    private static string? Cell(string[] cells, Dictionary<string, int> columns, string name) =>
        columns.TryGetValue(name, out var i) && i < cells.Length ? cells[i] : null;
}
