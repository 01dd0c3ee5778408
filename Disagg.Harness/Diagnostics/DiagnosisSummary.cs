using System.Globalization;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Execution;

namespace Disagg.Harness.Diagnostics;

/// <summary>
/// <c>summary.txt</c>, the file to read first: who, where, how it ended, the phase timeline, the first error of
/// each log with context (the runtime's <see cref="FailureSignatures"/>), then the last lines of each log.
/// Pure: the same input gives the same text. The job-side summary (PackagingFunctions) has the same layout.
/// </summary>
public static class DiagnosisSummary
{

    public static string Build(SummaryInput input)
    {
        var hits = input.Logs
            .Select(l => LogExcerpt.FirstError(l.Name, l.Text, LogExcerpt.ContextBefore, LogExcerpt.ContextAfter))
            .OfType<LogExcerpt.Hit>()
            .ToList();
        var sb = new StringBuilder();
        void Line(string text = "") => sb.Append(text).Append('\n');

        Line("DISAGG FAILURE-DIAGNOSIS PACKAGE (read this file first)");
        Line($"status:       {input.Status}");
        Line($"packaged by:  {input.PackagedBy}");
        Line($"packaged at:  {input.PackagedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC "
            + "(the archive name uses the UTC date)");
        Line($"test:         {input.TestId}");
        Line($"job:          {input.JobId ?? "none (never submitted)"}");
        Line($"nodes:        {(input.Outcome is { Nodes.Length: > 0 } o ? o.Nodes : "none allocated")}");
        Line($"final state:  {FinalState(input)}");
        Line($"error:        {(input.Problems.Count > 0 ? FirstLine(input.Problems[0]) : "none reported")}");
        Line($"full logs:    {input.FullLogs}");
        Line($"open next:    {hits.FirstOrDefault()?.File ?? input.Logs.LastOrDefault()?.Name ?? JobFiles()}");
        Line();
        Line("== phase timeline ==");
        if (input.Phases.Count == 0) Line("  (no phases recorded)");
        foreach (var p in input.Phases)
            Line($"  {p.At.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  {p.Phase}");
        if (input.Problems.Count > 0)
        {
            Line();
            Line("== problems the runner reported ==");
            foreach (var problem in input.Problems)
            {
                var lines = problem.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
                Line($"  - {lines[0]}");
                foreach (var more in lines.Skip(1)) Line($"    {more}");
            }
        }
        Line();
        Line("== first errors (lines matching the runtime's failure signatures) ==");
        if (hits.Count == 0) Line("  (no log has a line matching a failure signature)");
        foreach (var hit in hits)
        {
            Line($"{hit.File}:{hit.Line}: {hit.Signature}");
            var context = hit.Context.ToList();
            while (context.Count > 0 && context[^1].Length == 0) context.RemoveAt(context.Count - 1);
            foreach (var c in context) Line("    " + c);
            if (RaisedLine(hit, input.Logs) is { } raised) Line(raised);
        }
        Line();
        Line("== last lines ==");
        foreach (var log in input.Logs)
        {
            var lines = log.Text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
            var count = log.Text.Length == 0 ? 0 : lines.Length;
            Line($"--- {log.Name} (last {Math.Min(LogExcerpt.TailLines, count)} of {count} lines) ---");
            foreach (var l in lines.TakeLast(LogExcerpt.TailLines).Where(_ => count > 0)) Line("    " + l.TrimEnd());
        }
        Line();
        Line("== files in this package ==");
        foreach (var f in input.Files.Order(StringComparer.Ordinal)) Line("  " + f);
        return sb.ToString();
    }

    /// <summary>A traceback names its exception at its end: the first later line with another signature.</summary>
    private static string? RaisedLine(LogExcerpt.Hit hit, IReadOnlyList<PackagedLog> logs)
    {
        if (hit.Signature != FailureSignatures.All[0].Name) return null;
        var lines = logs.First(l => l.Name == hit.File).Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = hit.Line; i < lines.Length; i++)
            if (FailureSignatures.Match(lines[i]) is { } s && s != FailureSignatures.All[0])
                return $"    => line {i + 1}: {lines[i].TrimEnd()}";
        return null;
    }

    private static string JobFiles() => Rendering.JobFiles.BatchScript;

    private static string FinalState(SummaryInput input) => input.Outcome switch
    {
        null when input.JobId is null => "never submitted",
        null => "unknown: SLURM no longer knows the job (purged, or the runner lost the cluster)",
        var o => $"{o.State} (exit code {o.ExitCode}, derived {o.DerivedExitCode}, reason {o.Reason})",
    };

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
