using Disagg.Harness.Cluster;
using Disagg.Harness.Common;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// Decides the class of a failed run from the typed job outcome first, then the signature table
/// (<see cref="FailureSignatures.Infrastructure"/>) over every problem line: a lost node, a preemption or a boot failure
/// is infrastructure whatever the logs say; a transport, step, GPU or filesystem line anywhere in the problems is
/// infrastructure on the nodes that line names (else every node of the job); a <c>/health</c> that never answered while a
/// worker never began loading its model is infrastructure on that worker's node; a run that never produced a job is
/// configuration; everything else (server exception, OOM in the model, bound miss, regression, accuracy miss, client
/// crash) is product. Pure: the same run always gets the same class, live and in <c>disagg reevaluate</c>.
/// </summary>
public static class FailureClassifier
{
    /// <summary>Problem texts that mean the settings were wrong before anything ran.</summary>
    private static readonly string[] ConfigurationProblems =
    [
        "submission rejected", "an environment override is invalid", "the config still has values", "upload configuration is invalid",
    ];

    public static FailureClassification? Classify(JudgedRun run)
    {
        if (run.Passed) return null;
        var jobNodes = NodeList.Expand(run.Outcome?.Nodes);
        if (run.Outcome?.Kind is JobOutcomeKind.NodeFailure or JobOutcomeKind.Preempted or JobOutcomeKind.BootFailure)
            return new(FailureClass.Infrastructure, run.Outcome.Kind switch
            {
                JobOutcomeKind.NodeFailure => "NODE_FAIL",
                JobOutcomeKind.Preempted => "preempted",
                _ => "BOOT_FAIL",
            }, jobNodes, run.Outcome.Describe());
        foreach (var problem in run.Problems)
        {
            foreach (var line in problem.Split('\n'))
            {
                if (FailureSignatures.MatchInfrastructure(line) is not { } signature) continue;
                var named = jobNodes.Where(n => NamesNode(line, n)).ToList();
                return new(FailureClass.Infrastructure, signature.Name, named.Count > 0 ? named : jobNodes, Evidence(line));
            }
        }
        if (NeverLoaded(run) is { } stalled) return stalled;
        if (run.JobId is null)
            return new(FailureClass.Configuration, ConfigurationProblems.Any(p => run.Problems.Any(q => q.Contains(p, StringComparison.Ordinal)))
                ? "invalid settings or rejected submission" : "no job was started", [], run.Problems.FirstOrDefault());
        return new(FailureClass.Product, ProductCause(run), [], run.Problems.FirstOrDefault());
    }

    /// <summary>What the job says when its disagg server's <c>/health</c> never answered 200 (<c>Rendering/JobFunctions</c> wait_ready).</summary>
    public const string HealthTimeout = "/health did not answer 200";

    public const string NeverLoadedCause = "/health never answered before the model started loading";

    /// <summary>
    /// The servers never answered and at least one worker never began loading its model: its container, filesystem or
    /// Python start-up hung, so the nodes it ran on are implicated (every node of the job when its log names none).
    /// </summary>
    private static FailureClassification? NeverLoaded(JudgedRun run)
    {
        if (run.ServersNeverLoaded.Count == 0 || !run.Problems.Any(p => p.Contains(HealthTimeout, StringComparison.Ordinal))) return null;
        var named = run.ServersNeverLoaded.Select(s => s.Node).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var nodes = named.Count > 0 ? named : NodeList.Expand(run.Outcome?.Nodes);
        var evidence = string.Join(", ", run.ServersNeverLoaded.Select(s => s.Node is null ? s.Log : $"{s.Log} on {s.Node}"))
            + " wrote no model-loading line";
        return new(FailureClass.Infrastructure, NeverLoadedCause, nodes, evidence);
    }

    private static string ProductCause(JudgedRun run)
    {
        foreach (var problem in run.Problems)
            foreach (var line in problem.Split('\n'))
                if (FailureSignatures.Match(line) is { } s && s != FailureSignatures.All[0]) return s.Name;
        if (run.Problems.Count > 0) return run.Outcome?.Kind is JobOutcomeKind.Completed or null ? "job problem" : "job " + run.Outcome.State;
        if (run.Accuracy.Any(a => !a.Passed)) return "accuracy miss";
        if (run.Regression.Any(f => f.Severity == FindingSeverity.Failure)) return "regression";
        return "bound miss";
    }

    /// <summary>True when <paramref name="line"/> names <paramref name="node"/> as a whole word (<c>node1</c> is not in <c>node12</c>).</summary>
    private static bool NamesNode(string line, string node)
    {
        for (var at = line.IndexOf(node, StringComparison.Ordinal); at >= 0; at = line.IndexOf(node, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 ? ' ' : line[at - 1];
            var after = at + node.Length >= line.Length ? ' ' : line[at + node.Length];
            if (!IsNameChar(before) && !IsNameChar(after)) return true;
        }
        return false;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    /// <summary>The log line without the excerpt's indentation and step prefix (<c>    0: </c>).</summary>
    private static string Evidence(string line)
    {
        var text = line.Trim();
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && text[..colon].All(char.IsAsciiDigit) ? text[(colon + 2)..] : text;
    }
}
