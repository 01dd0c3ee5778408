using System.Globalization;
using System.Text;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Results;

/// <summary>
/// A stable, line-oriented rendering of a parsed log (and optionally its completeness problems): what
/// golden tests compare and what a user sees when re-evaluating a job. Metrics are listed in catalog
/// order, values in invariant round-trip form, so any parser change shows up as a readable diff.
/// Completeness problems repeat the parse problems (<see cref="ResultCompleteness.Check"/> includes
/// them); they are listed once, under "parse problems".
/// </summary>
public static class BenchmarkLogText
{
    public static string Render(BenchmarkLog log, IReadOnlyList<string>? completeness = null)
    {
        var text = new StringBuilder();
        text.Append("log: ").Append(log.File).Append('\n');
        if (log.Warmup is { } warmup) AppendBlock(text, "warm-up (kept apart)", warmup);
        else text.Append("warm-up: none\n");
        foreach (var block in log.Blocks)
        {
            var banner = block.FailedBanner ? ", FAILED REQUESTS banner" : "";
            AppendBlock(text, $"concurrency {block.Concurrency} ({Prompts(block)}, {DoneLine(log, block)}{banner})", block);
        }
        AppendList(text, "parse problems", log.Problems);
        if (completeness is not null) AppendList(text, "completeness problems", completeness.Where(p => !log.Problems.Contains(p)).ToList());
        return text.ToString();
    }

    public static string Format(double value) => value switch
    {
        double.NaN => "nan",
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string DoneLine(BenchmarkLog log, ConcurrencyResult block) =>
        log.IsBareClientLog ? "bare client log" : $"done line {(block.DoneLineSeen ? "seen" : "MISSING")}";

    private static string Prompts(ConcurrencyResult block) => block.Prompts is { } p ? $"{p} prompts announced" : "prompts not announced";

    private static void AppendBlock(StringBuilder text, string title, ConcurrencyResult block)
    {
        text.Append(title).Append(", lines ").Append(block.StartLine).Append('-').Append(block.EndLine).Append('\n');
        foreach (var metric in MetricCatalog.All.Where(m => block.Metrics.ContainsKey(m.Name)).Concat(MetricCatalog.Percentiles(block.Metrics.Keys)))
            text.Append("  ").Append(metric.Name).Append(" = ").Append(Format(block.Metrics[metric.Name])).Append('\n');
        foreach (var name in block.Metrics.Keys.Where(k => MetricCatalog.ByName(k) is null).Order(StringComparer.Ordinal))
            text.Append("  ").Append(name).Append(" = ").Append(Format(block.Metrics[name])).Append(" (not in the catalog)\n");
    }

    private static void AppendList(StringBuilder text, string title, IReadOnlyList<string> items)
    {
        text.Append(title).Append(": ").Append(items.Count == 0 ? "none" : items.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var item in items) text.Append("  - ").Append(item).Append('\n');
    }
}
