using System.Globalization;
using Disagg.Harness.Common;
using Disagg.Sim.Cli;

namespace Disagg.Sim.Common;

/// <summary>
/// Faults injected through <c>SIM_FAULT</c> (comma-separated), e.g.
/// <c>SIM_FAULT=crash_after_requests:10,slow_start_ms:2000</c>.
/// </summary>
internal sealed record FaultPlan
{
    public const string EnvironmentVariable = "SIM_FAULT";

    private static readonly string[] KnownNames =
    [
        "crash_on_start", "bind_fail", "hang_on_start", "oom_on_start",
        "crash_after_requests", "fail_requests", "slow_start_ms",
    ];

    public static FaultPlan None { get; } = new();

    public bool CrashOnStart { get; init; }

    public bool BindFail { get; init; }

    public bool HangOnStart { get; init; }

    public bool OomOnStart { get; init; }

    /// <summary>Crash after this many completed requests.</summary>
    public int? CrashAfterRequests { get; init; }

    /// <summary>Fraction (0..1) of requests answered with HTTP 500.</summary>
    public double FailRequestsFraction { get; init; }

    public int SlowStartMs { get; init; }

    public static FaultPlan FromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    public static FaultPlan Parse(string? spec)
    {
        var plan = new FaultPlan();
        if (string.IsNullOrWhiteSpace(spec))
        {
            return plan;
        }

        foreach (var item in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = item.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? item : item[..colon];
            var arg = colon < 0 ? null : item[(colon + 1)..];
            plan = name switch
            {
                "crash_on_start" => plan with { CrashOnStart = true },
                "bind_fail" => plan with { BindFail = true },
                "hang_on_start" => plan with { HangOnStart = true },
                "oom_on_start" => plan with { OomOnStart = true },
                "crash_after_requests" => plan with { CrashAfterRequests = ParseInt(name, arg) },
                "slow_start_ms" => plan with { SlowStartMs = ParseInt(name, arg) },
                "fail_requests" => plan with { FailRequestsFraction = ParseFraction(name, arg) },
                _ => throw new UsageException(
                    $"unknown {EnvironmentVariable} fault '{name}'{TextSimilarity.DidYouMean(name, KnownNames)}"),
            };
        }

        return plan;
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
