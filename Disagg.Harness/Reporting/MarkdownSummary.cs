using System.Text;

namespace Disagg.Harness.Reporting;

/// <summary>
/// The run in Markdown for a CI job summary or a merge-request comment: the run environment, one table row per test with
/// its verdict and key metrics at its highest concurrency, then each failed test with its reasons and each skipped one.
/// </summary>
public static class MarkdownSummary
{
    public const string FileName = "summary.md";

    /// <summary>The key metrics of the table, in column order.</summary>
    public static readonly IReadOnlyList<(string Metric, string Header)> KeyMetrics =
    [
        ("output_token_throughput", "output tok/s"),
        ("median_ttft_ms", "median TTFT ms"),
        ("median_tpot_ms", "median TPOT ms"),
        ("p99_e2el_ms", "P99 E2EL ms"),
    ];

    public static string Render(RunReport run)
    {
        var sb = new StringBuilder();
        sb.Append("## Disagg perf: ").Append(run.PassedCount).Append(" passed, ").Append(run.FailedCount).Append(" failed, ")
          .Append(run.SkippedCount).Append(" skipped (").Append(run.Tests.Count).Append(run.Tests.Count == 1 ? " test" : " tests").Append(")\n\n");
        sb.Append(string.Join(" · ", run.Environment.Rows.Select(r => $"{r.Name} {ReportFormat.MarkdownCode(r.Value)}"))).Append("\n\n");
        if (run.Tests.Count == 0)
        {
            sb.Append("No test results were found in the results directory.\n");
            return sb.ToString();
        }

        sb.Append("| verdict | test | job | duration | c |");
        foreach (var (_, header) in KeyMetrics) sb.Append(' ').Append(header).Append(" |");
        sb.Append('\n').Append("|---|---|---|---|---:|");
        foreach (var _ in KeyMetrics) sb.Append("---:|");
        sb.Append('\n');
        foreach (var t in run.Tests)
        {
            var top = t.Highest;
            sb.Append("| ").Append(Verdict(t))
              .Append(" | ").Append(ReportFormat.MarkdownCode(t.TestId))
              .Append(" | ").Append(t.JobId is null ? "–" : ReportFormat.Markdown(t.JobId))
              .Append(" | ").Append(ReportFormat.Seconds(t.DurationSeconds))
              .Append(" | ").Append(top is null ? "–" : top.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture))
              .Append(" |");
            foreach (var (metric, _) in KeyMetrics) sb.Append(' ').Append(ReportFormat.Number(top?[metric])).Append(" |");
            sb.Append('\n');
        }
        sb.Append("\nKey metrics are those of each test's highest concurrency (c).\n");

        var failed = run.Tests.Where(t => !t.Passed && !t.Skipped).ToList();
        AppendSkipped(sb, run);
        AppendNotes(sb, run);
        if (failed.Count == 0) return sb.ToString();
        sb.Append("\n### Failures\n");
        foreach (var t in failed)
        {
            sb.Append("\n#### ").Append(ReportFormat.MarkdownCode(t.TestId));
            var facts = new List<string>();
            if (t.JobId is not null) facts.Add($"job {ReportFormat.Markdown(t.JobId)}");
            if (t.JobState is not null) facts.Add(ReportFormat.Markdown(t.JobState));
            if (t.ExitCode is not null) facts.Add($"exit {ReportFormat.Markdown(t.ExitCode)}");
            if (facts.Count > 0) sb.Append(" (").Append(string.Join(", ", facts)).Append(')');
            sb.Append('\n');
            var reasons = t.FailureReasons.ToList();
            if (reasons.Count == 0)
                reasons.Add(t.TrxOutcome is { } o ? $"test outcome {o}; no problem or failed threshold recorded" : "no problem or failed threshold recorded");
            foreach (var note in t.Notes.Take(1)) sb.Append("- ").Append(ReportFormat.Markdown(note)).Append('\n');
            foreach (var reason in reasons) sb.Append("- ").Append(ReportFormat.Markdown(reason)).Append('\n');
            if (t.Folder is not null) sb.Append("- logs: ").Append(ReportFormat.MarkdownCode(t.Folder + "/")).Append('\n');
            if (t.DiagnosisArchive is not null) sb.Append("- diagnosis archive: ").Append(ReportFormat.MarkdownCode(t.DiagnosisArchive)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Infrastructure retries, avoided suspect nodes and stale waivers of the run, whatever the verdicts.</summary>
    private static void AppendNotes(StringBuilder sb, RunReport run)
    {
        var noted = run.Tests.Select(t => (t, Notes: t.Notes.Where(n => !n.StartsWith("failure class", StringComparison.Ordinal)).ToList()))
            .Where(x => x.Notes.Count > 0).ToList();
        if (noted.Count == 0) return;
        sb.Append("\n### Infrastructure and waivers\n\n");
        foreach (var (t, notes) in noted)
            foreach (var note in notes)
                sb.Append("- ").Append(ReportFormat.MarkdownCode(t.TestId)).Append(": ").Append(ReportFormat.Markdown(note)).Append('\n');
    }

    private static void AppendSkipped(StringBuilder sb, RunReport run)
    {
        var skipped = run.Tests.Where(t => t.Skipped).ToList();
        if (skipped.Count == 0) return;
        sb.Append("\n### Skipped\n\n");
        foreach (var t in skipped)
            sb.Append("- ").Append(ReportFormat.MarkdownCode(t.TestId)).Append(": ")
              .Append(ReportFormat.Markdown(t.SkipReason ?? "no reason given")).Append('\n');
    }

    private static string Verdict(TestReport t) => t.Passed ? "✅ pass" : t.Skipped ? "⏭️ skipped" : t.HasResults ? "❌ fail" : "❌ error";
}
