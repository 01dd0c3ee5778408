using System.Globalization;
using Disagg.Harness.Common;
using Disagg.Sim.Cli;

namespace Disagg.Sim.Common;

/// <summary>
/// Faults injected through <c>SIM_FAULT</c> (comma-separated), e.g.
/// <c>SIM_FAULT=crash_after_requests:10,slow_start_ms:2000</c>. Any fault can be scoped to nodes with
/// <c>@node1+node3</c> (<c>SIM_FAULT=transport_error@node1</c>): it applies only where <c>SLURMD_NODENAME</c> (else the
/// host name) is one of them, as a bad node does on a real cluster. The node faults print what a broken cluster prints
/// (<see cref="InfraErrors"/>) and exit: <c>transport_error</c> (NCCL over IB), <c>gpu_xid</c>, <c>step_fail</c>.
/// <c>@first</c> makes the first node that reads the fault the bad one, recorded in the file <c>SIM_FAULT_STATE</c>
/// names (shared by every node), so a test can break whichever node its first job lands on and see the retry avoid it.
/// </summary>
internal sealed record FaultPlan
{
    public const string EnvironmentVariable = "SIM_FAULT";

    private static readonly string[] KnownNames =
    [
        "crash_on_start", "bind_fail", "hang_on_start", "oom_on_start",
        "crash_after_requests", "fail_requests", "slow_start_ms", "transport_error", "gpu_xid", "step_fail", "stall_before_load",
    ];

    public const string NodeVariable = "SLURMD_NODENAME";

    public const string StateVariable = "SIM_FAULT_STATE";

    public static FaultPlan None { get; } = new();

    public bool CrashOnStart { get; init; }

    public bool BindFail { get; init; }

    public bool HangOnStart { get; init; }

    public bool OomOnStart { get; init; }

    /// <summary>
    /// Never get as far as loading the model (a hung filesystem or container start): the launcher's lines are written,
    /// then nothing, and <c>/health</c> never answers.
    /// </summary>
    public bool StallBeforeLoad { get; init; }

    /// <summary>Crash after this many completed requests.</summary>
    public int? CrashAfterRequests { get; init; }

    /// <summary>Fraction (0..1) of requests answered with HTTP 500.</summary>
    public double FailRequestsFraction { get; init; }

    public int SlowStartMs { get; init; }

    /// <summary>A cluster fault to show at start (<c>transport_error</c>, <c>gpu_xid</c>, <c>step_fail</c>), or null.</summary>
    public string? NodeFault { get; init; }

    /// <summary>The node this process runs on, as faults are scoped by.</summary>
    public static string CurrentNode() =>
        Environment.GetEnvironmentVariable(NodeVariable) is { Length: > 0 } node ? node : Environment.MachineName;

    public static FaultPlan FromEnvironment() =>
        Parse(Environment.GetEnvironmentVariable(EnvironmentVariable), CurrentNode(), Environment.GetEnvironmentVariable(StateVariable));

    public static FaultPlan Parse(string? spec) => Parse(spec, CurrentNode());

    /// <summary>The plan on <paramref name="node"/>: items scoped to other nodes are checked but not applied.</summary>
    public static FaultPlan Parse(string? spec, string node, string? statePath = null)
    {
        var plan = new FaultPlan();
        if (string.IsNullOrWhiteSpace(spec))
        {
            return plan;
        }

        foreach (var scoped in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = scoped.IndexOf('@', StringComparison.Ordinal);
            var item = at < 0 ? scoped : scoped[..at];
            var nodes = at < 0 ? null : scoped[(at + 1)..].Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (nodes is { Length: 0 }) throw new UsageException($"{EnvironmentVariable} fault '{scoped}' names no node after '@', e.g. {item}@node1");
            var colon = item.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? item : item[..colon];
            var arg = colon < 0 ? null : item[(colon + 1)..];
            var next = name switch
            {
                "crash_on_start" => plan with { CrashOnStart = true },
                "bind_fail" => plan with { BindFail = true },
                "hang_on_start" => plan with { HangOnStart = true },
                "oom_on_start" => plan with { OomOnStart = true },
                "stall_before_load" => plan with { StallBeforeLoad = true },
                "crash_after_requests" => plan with { CrashAfterRequests = ParseInt(name, arg) },
                "slow_start_ms" => plan with { SlowStartMs = ParseInt(name, arg) },
                "fail_requests" => plan with { FailRequestsFraction = ParseFraction(name, arg) },
                "transport_error" or "gpu_xid" or "step_fail" => plan with { NodeFault = name },
                _ => throw new UsageException(
                    $"unknown {EnvironmentVariable} fault '{name}'{TextSimilarity.DidYouMean(name, KnownNames)}"),
            };
            if (nodes is ["first"]) nodes = [FirstNode(statePath, node, scoped)];
            if (nodes is null || nodes.Contains(node, StringComparer.Ordinal)) plan = next;
        }

        return plan;
    }

    /// <summary>The node recorded in the state file, or <paramref name="node"/> when it is the first to claim it.</summary>
    private static string FirstNode(string? statePath, string node, string item)
    {
        if (string.IsNullOrEmpty(statePath))
            throw new UsageException($"{EnvironmentVariable} fault '{item}' needs {StateVariable}, a file every node can write, to remember the first node");
        try
        {
            using var claim = new FileStream(statePath, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(claim);
            writer.Write(node);
            return node;
        }
        catch (IOException) when (File.Exists(statePath))
        {
            for (var i = 0; i < 50; i++)
            {
                var recorded = File.ReadAllText(statePath).Trim();
                if (recorded.Length > 0) return recorded;
                Thread.Sleep(20);
            }
            return node;
        }
    }

    /// <summary>
    /// Deterministic selection: request <paramref name="index"/> (0-based) fails when it crosses the next multiple of
    /// 1/P, so exactly <c>floor(n*P)</c> of the first n requests fail (all of them for P = 1).
    /// </summary>
    public bool ShouldFailRequest(long index) =>
        FailRequestsFraction > 0 && Math.Floor((index + 1) * FailRequestsFraction) > Math.Floor(index * FailRequestsFraction);

    private static int ParseInt(string name, string? arg) =>
        int.TryParse(arg, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new UsageException($"{EnvironmentVariable} fault '{name}' needs a non-negative integer, e.g. {name}:10");

    private static double ParseFraction(string name, string? arg) =>
        double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
            ? value
            : throw new UsageException($"{EnvironmentVariable} fault '{name}' needs a fraction between 0 and 1, e.g. {name}:0.25");
}
