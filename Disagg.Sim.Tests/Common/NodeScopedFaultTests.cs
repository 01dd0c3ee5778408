using Disagg.Sim.Cli;
using Disagg.Sim.Common;

namespace Disagg.Sim.Tests.Common;

/// <summary><c>SIM_FAULT=fault@node1+node3</c>: a fault applies only on the nodes it names, as a bad node's does.</summary>
public sealed class NodeScopedFaultTests
{
    [TestCase("transport_error@node3", "node3", "transport_error")]
    [TestCase("transport_error@node3", "node2", null)]
    [TestCase("gpu_xid@node1+node3", "node3", "gpu_xid")]
    [TestCase("step_fail", "node4", "step_fail")]
    public void A_node_fault_applies_only_on_its_nodes(string spec, string node, string? expected) =>
        Assert.That(FaultPlan.Parse(spec, node).NodeFault, Is.EqualTo(expected));

    [Test]
    public void Any_fault_can_be_scoped_and_unscoped_items_still_apply()
    {
        var plan = FaultPlan.Parse("crash_on_start@node1,slow_start_ms:200", "node2");
        Assert.That((plan.CrashOnStart, plan.SlowStartMs), Is.EqualTo((false, 200)));
    }

    [Test]
    public void A_scope_without_a_node_is_a_usage_error() =>
        Assert.That(() => FaultPlan.Parse("transport_error@", "node1"),
            Throws.TypeOf<UsageException>().With.Message.Contains("names no node after '@'"));

    [Test]
    public void The_node_comes_from_slurmd_nodename()
    {
        var before = Environment.GetEnvironmentVariable(FaultPlan.NodeVariable);
        try
        {
            Environment.SetEnvironmentVariable(FaultPlan.NodeVariable, "node7");
            Assert.That(FaultPlan.CurrentNode(), Is.EqualTo("node7"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(FaultPlan.NodeVariable, before);
        }
    }
}
