using Disagg.Harness.Common;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// Why a test failed, as a class (<see cref="FailureClass"/>), a short cause (<c>NCCL timeout</c>, <c>NODE_FAIL</c>,
/// <c>server exception</c>) and the nodes implicated (only for infrastructure failures: the nodes a retry excludes).
/// </summary>
public sealed record FailureClassification(FailureClass Class, string Cause, IReadOnlyList<string> Nodes, string? Evidence = null)
{
    /// <summary>The class as documents, results.json and the Perf DB spell it: <c>infrastructure</c>, <c>product</c>, <c>configuration</c>.</summary>
    public string ClassName => Name(Class);

    public static string Name(FailureClass value) => value.ToString().ToLowerInvariant();

    /// <summary><c>infrastructure failure on node3 (NCCL timeout)</c>, <c>product failure (server exception)</c>.</summary>
    public string Describe() => $"{ClassName} failure{(Nodes.Count > 0 ? " on " + string.Join(",", Nodes) : "")} ({Cause})";
}
