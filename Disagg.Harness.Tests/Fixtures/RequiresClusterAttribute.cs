using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Disagg.Harness.Tests.Fixtures;

/// <summary>
/// Marks a test or fixture that talks to the local cluster (scripts/local-cluster.sh). When a needed service does not
/// answer, the test is Ignored with the reason and the command that starts the cluster, so a run on a machine without
/// the cluster is green or ignored; where the cluster is required (CI, or DISAGG_REQUIRE_CLUSTER=1) the same reason makes
/// it fail instead, so CI can never pass by skipping. Decided at discovery, once per process (<see cref="ClusterProbe"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RequiresClusterAttribute(Needs needs = Needs.Slurm) : NUnitAttribute, IApplyToTest
{
    public Needs Needs { get; } = needs;

    public void ApplyToTest(Test test) => Apply(test, Needs, ClusterProbe.Current, Required(Environment.GetEnvironmentVariable));

    /// <summary>True when a missing cluster must fail the tests: CI (CI=true) or DISAGG_REQUIRE_CLUSTER=1.</summary>
    public static bool Required(Func<string, string?> environment) => IsOn(environment("CI")) || IsOn(environment("DISAGG_REQUIRE_CLUSTER"));

    public static void Apply(Test test, Needs needs, ClusterProbe probe, bool required)
    {
        // An ignored test stays as it is, and a test that is already not runnable keeps its own, more specific error.
        if (test.RunState is RunState.Ignored or RunState.NotRunnable) return;
        if (probe.Reason(needs) is not { } reason) return;
        test.RunState = required ? RunState.NotRunnable : RunState.Ignored;
        test.Properties.Set(PropertyNames.SkipReason,
            required ? reason + " The cluster is required here (CI or DISAGG_REQUIRE_CLUSTER is set), so this test fails instead of being ignored." : reason);
    }

    private static bool IsOn(string? value) =>
        value is { Length: > 0 } && !value.Equals("false", StringComparison.OrdinalIgnoreCase) && value != "0";
}
