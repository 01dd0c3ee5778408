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

    [Test]
    public void At_first_the_first_node_to_read_the_fault_becomes_the_bad_node()
    {
        var state = Path.Combine(Directory.CreateTempSubdirectory("sim-fault-").FullName, "bad-node");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(FaultPlan.Parse("transport_error@first", "node3", state).NodeFault, Is.EqualTo("transport_error"));
            Assert.That(FaultPlan.Parse("transport_error@first", "node1", state).NodeFault, Is.Null);
            Assert.That(FaultPlan.Parse("transport_error@first", "node3", state).NodeFault, Is.EqualTo("transport_error"));
            Assert.That(File.ReadAllText(state), Is.EqualTo("node3"));
        }
    }

    [Test]
    public void At_first_without_a_state_file_is_a_usage_error() =>
        Assert.That(() => FaultPlan.Parse("gpu_xid@first", "node1", null),
            Throws.TypeOf<UsageException>().With.Message.Contains("needs SIM_FAULT_STATE"));
}
