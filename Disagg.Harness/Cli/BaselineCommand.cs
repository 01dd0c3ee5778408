using System.Globalization;
using Disagg.Harness.Publishing;

namespace Disagg.Harness.Cli;

/// <summary>
/// <c>disagg baseline approve &lt;run-id&gt; [--tests a,b] --reason "…"</c> records the run's results of each (passed) test as
/// the approved baseline of its cluster and GPU type, with who (<c>--by</c>, else <c>$USER</c>), when and why;
/// <c>disagg baseline show &lt;test&gt;</c> prints the audit trail, newest first, marking the approval in use per cluster and
/// GPU type. Both use the Perf DB the environment names (as <see cref="NodesCommand"/>). Approve exits 1 when a named test
/// is not in the run or did not pass (nothing is approved then), 2 on a missing run, reason or Perf DB.
/// </summary>
public static class BaselineCommand
{
    public sealed record ApproveOptions(string RunId, IReadOnlyList<string> Tests, string Reason, string? By, string ResultsDir);

    public static async Task<int> ApproveAsync(ApproveOptions options, IReadOnlyDictionary<string, string> env, TimeProvider time, TextWriter output,
        TextWriter error, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Reason))
        {
            error.WriteLine("baseline approve: --reason is required: say why these results become the baseline");
            return ExitCodes.BadInput;
        }
        if (NodesCommand.Store(env, options.ResultsDir, "baseline approve", error) is not { } store) return ExitCodes.BadInput;
        var approvals = new BaselineApprovals(store);
        var stored = await approvals.TestsOfRunAsync(options.RunId, cancellationToken).ConfigureAwait(false);
        if (stored.Count == 0)
        {
            error.WriteLine($"baseline approve: run '{options.RunId}' has no tests in {approvals.Display}");
            return ExitCodes.BadInput;
        }
        var wanted = options.Tests.Count == 0 ? stored : [.. stored.Where(t => options.Tests.Contains(t.TestId, StringComparer.Ordinal))];
        var problems = options.Tests.Where(t => stored.All(s => s.TestId != t)).Select(t => $"test '{t}' is not in run '{options.RunId}'")
            .Concat(wanted.Where(t => !t.Passed).Select(t => $"{t.TestId} did not pass in run '{options.RunId}'"
                + (t.FailureClass.Length > 0 ? $" ({t.FailureClass} failure)" : "") + "; a failed run cannot become a baseline"))
            .ToList();
        foreach (var p in problems) error.WriteLine("baseline approve: " + p);
        if (problems.Count > 0) return ExitCodes.Failed;
        var by = options.By is { Length: > 0 } b ? b : env.GetValueOrDefault("USER") is { Length: > 0 } u ? u : "unknown";
        var now = time.GetUtcNow();
        var rows = wanted.Select(t => new BaselineApproval(Guid.NewGuid().ToString("N"), t.Cluster, t.GpuType, t.TestId, options.RunId, by, now,
            options.Reason.Trim())).ToList();
        await approvals.AddAsync(rows, cancellationToken).ConfigureAwait(false);
        foreach (var a in rows)
            output.WriteLine($"approved {a.TestId} of run {a.RunId} as the baseline on cluster '{a.Cluster}', GPU '{a.GpuType}' by {a.ApprovedBy}: {a.Reason}");
        return ExitCodes.Ok;
    }

    public static async Task<int> ShowAsync(string testId, IReadOnlyDictionary<string, string> env, string resultsDir, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        if (NodesCommand.Store(env, resultsDir, "baseline show", error) is not { } store) return ExitCodes.BadInput;
        var approvals = await new BaselineApprovals(store).OfTestAsync(testId, cancellationToken).ConfigureAwait(false);
        if (approvals.Count == 0)
        {
            output.WriteLine($"{testId}: no approved baseline; the regression rule uses the rolling history of each cluster and GPU type");
            return ExitCodes.Ok;
        }
        output.WriteLine($"{testId}: {approvals.Count} approval(s), newest first");
        var inUse = approvals.GroupBy(a => (a.Cluster, a.GpuType)).Select(g => g.First().ApprovalId).ToHashSet(StringComparer.Ordinal);
        foreach (var a in approvals)
            output.WriteLine($"{a.ApprovedAt.ToString("u", CultureInfo.InvariantCulture)}  cluster '{a.Cluster}'  GPU '{a.GpuType}'  run {a.RunId}  "
                             + $"approved by {a.ApprovedBy}{(inUse.Contains(a.ApprovalId) ? "  [in use]" : "")}\n    reason: {a.Reason}");
        return ExitCodes.Ok;
    }
}
