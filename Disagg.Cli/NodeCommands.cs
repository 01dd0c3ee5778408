using System.Collections;
using System.CommandLine;
using Disagg.Harness.Cli;

namespace Disagg.Cli;

/// <summary>
/// The verbs of infrastructure and baseline governance: <c>nodes</c> (the bad-node ledger) and <c>baseline approve|show</c>.
/// The logic is in Disagg.Harness/Cli (<see cref="NodesCommand"/>, <see cref="BaselineCommand"/>).
/// </summary>
public static class NodeCommands
{
    public static IEnumerable<Command> All(TextWriter output, TextWriter error) => [Nodes(output, error), Baseline(output, error)];

    private static Option<string> ResultsDir() => new("--results-dir")
    {
        Description = "Results folder whose perfdb.sqlite to read when neither DISAGG_PERFDB_CONNECTION nor DISAGG_PERFDB_SQLITE is set.",
        DefaultValueFactory = _ => ".",
    };

    private static Command Nodes(TextWriter output, TextWriter error)
    {
        var results = ResultsDir();
        var cluster = new Option<string?>("--cluster") { Description = "Only this cluster (the cluster profile's name)." };
        var days = new Option<int>("--days") { Description = "How far back to count.", DefaultValueFactory = _ => Days() };
        var threshold = new Option<int>("--threshold")
        {
            Description = "Failures that make a node suspect (as DISAGG_SUSPECT_NODE_THRESHOLD).", DefaultValueFactory = _ => Threshold(),
        };
        var command = new Command("nodes",
            "List nodes with infrastructure failures in the bad-node ledger (Perf DB), with their evidence; SUSPECT marks the nodes " +
            "--avoid-suspect-nodes excludes. Exit 0, 2 when no Perf DB is configured.")
        {
            results, cluster, days, threshold,
        };
        command.SetAction((r, ct) => NodesCommand.RunAsync(
            new NodesCommand.Options(r.GetValue(results)!, r.GetValue(cluster), r.GetValue(days), r.GetValue(threshold)),
            Environment(), TimeProvider.System, output, error, ct));
        return command;
    }

    private static Command Baseline(TextWriter output, TextWriter error)
    {
        var runId = new Argument<string>("run-id") { Description = "The run whose results become the baseline (DISAGG_RUN_ID or the results folder's name)." };
        var tests = new Option<string[]>("--tests")
        {
            Description = "Only these test ids (default: every test of the run).", AllowMultipleArgumentsPerToken = true,
        };
        var reason = new Option<string>("--reason") { Description = "Why these results are the new baseline (kept in the audit trail).", Required = true };
        var by = new Option<string?>("--by") { Description = "Who approves (default: $USER)." };
        var results = ResultsDir();
        var approve = new Command("approve",
            "Approve a run's results as the baseline of each test on its cluster and GPU type; the regression rule then judges against " +
            "the newest approval instead of the rolling history. Exit 1 when a test is missing or did not pass, 2 on bad input.")
        {
            runId, tests, reason, by, results,
        };
        approve.SetAction((r, ct) => BaselineCommand.ApproveAsync(
            new BaselineCommand.ApproveOptions(r.GetValue(runId)!, [.. (r.GetValue(tests) ?? []).SelectMany(t => t.Split(',',
                StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))], r.GetValue(reason)!, r.GetValue(by), r.GetValue(results)!),
            Environment(), TimeProvider.System, output, error, ct));

        var testId = new Argument<string>("test") { Description = "The test id." };
        var showResults = ResultsDir();
        var show = new Command("show", "Print the audit trail of a test's approved baselines (who, when, why, which run), newest first.")
        {
            testId, showResults,
        };
        show.SetAction((r, ct) => BaselineCommand.ShowAsync(r.GetValue(testId)!, Environment(), r.GetValue(showResults)!, output, error, ct));
        return new Command("baseline", "Baseline governance: approve a run's results as a baseline, show a test's approvals.") { approve, show };
    }

    private static int Days() => System.Environment.GetEnvironmentVariable("DISAGG_SUSPECT_NODE_DAYS") is { } d && int.TryParse(d, out var n) && n > 0 ? n : 7;

    private static int Threshold() =>
        System.Environment.GetEnvironmentVariable("DISAGG_SUSPECT_NODE_THRESHOLD") is { } t && int.TryParse(t, out var n) && n > 0 ? n : 2;

    private static Dictionary<string, string> Environment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables()) env[(string)e.Key] = e.Value as string ?? "";
        return env;
    }
}
