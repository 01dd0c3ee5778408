using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Disagg.Sim.LmEval;

/// <summary>One task's exact_match under both filters, its samples, and lm_eval's markdown table.</summary>
internal sealed record TaskScore(string Task, int Documents, double Flexible, double FlexibleStderr, double Strict, double StrictStderr,
    IReadOnlyList<JsonObject> Samples)
{
    /// <summary>The fractional part of doc × the golden ratio: evenly spread draws, so the score is the target to within 1/n.</summary>
    private static double Draw(int doc) => doc * 0.6180339887498949 % 1.0;

    public static TaskScore Of(string task, IReadOnlyList<Answer> answers, double accuracy)
    {
        var samples = new List<JsonObject>();
        var (flexible, strict) = (0, 0);
        foreach (var a in answers.OrderBy(a => a.Doc))
        {
            var right = Draw(a.Doc) < accuracy;
            var strictRight = Draw(a.Doc) < accuracy - 0.01;
            flexible += right ? 1 : 0;
            strict += strictRight ? 1 : 0;
            samples.Add(new JsonObject
            {
                ["doc_id"] = a.Doc, ["target"] = a.Doc.ToString(CultureInfo.InvariantCulture),
                ["resps"] = new JsonArray(new JsonArray(a.Text)), ["exact_match"] = right ? 1.0 : 0.0,
            });
        }
        var n = answers.Count;
        return new TaskScore(task, n, (double)flexible / n, Stderr(flexible, n), (double)strict / n, Stderr(strict, n), samples);
    }

    private static double Stderr(int right, int n)
    {
        if (n < 2) return 0;
        var p = (double)right / n;
        return Math.Sqrt(p * (1 - p) / (n - 1));
    }

    /// <summary>lm_eval's table: centred header cells, right-aligned numbers, the task name only on its first row.</summary>
    public static string Table(IReadOnlyList<TaskScore> scores)
    {
        string[] header = ["Tasks", "Version", "Filter", "n-shot", "Metric", "", "Value", "", "Stderr"];
        var rows = new List<string[]>();
        foreach (var s in scores)
        {
            rows.Add([s.Task, "3", "flexible-extract", "5", "exact_match", "↑", F(s.Flexible), "±", F(s.FlexibleStderr)]);
            rows.Add(["", "", "strict-match", "5", "exact_match", "↑", F(s.Strict), "±", F(s.StrictStderr)]);
        }
        var widths = header.Select((h, i) => Math.Max(3, Math.Max(h.Length, rows.Max(r => r[i].Length)))).ToArray();
        bool[] right = [false, true, false, true, false, false, true, false, true];
        var sb = new StringBuilder();
        sb.Append('|').AppendJoin('|', header.Select((h, i) => Center(h, widths[i]))).Append("|\n");
        sb.Append('|').AppendJoin('|', widths.Select((w, i) => right[i] ? new string('-', w - 1) + ":" : new string('-', w))).Append("|\n");
        foreach (var r in rows)
            sb.Append('|').AppendJoin('|', r.Select((c, i) => right[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).Append("|\n");
        return sb.Append('\n').ToString();
    }

    private static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Center(string text, int width)
    {
        var left = (width - text.Length) / 2;
        return new string(' ', left) + text + new string(' ', width - text.Length - left);
    }
}
