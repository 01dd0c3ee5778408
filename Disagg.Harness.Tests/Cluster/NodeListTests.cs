using Disagg.Harness.Cluster;

namespace Disagg.Harness.Tests.Cluster;

public sealed class NodeListTests
{
    [TestCase("node3", new[] { "node3" })]
    [TestCase("node[1-2]", new[] { "node1", "node2" })]
    [TestCase("node[1-2,4]", new[] { "node1", "node2", "node4" })]
    [TestCase("gpu[08-10],login1", new[] { "gpu08", "gpu09", "gpu10", "login1" })]
    [TestCase("", new string[0])]
    [TestCase("None assigned", new string[0])]
    public void Expands_slurm_host_lists(string list, string[] expected) => Assert.That(NodeList.Expand(list), Is.EqualTo(expected));

    [TestCase("node1", true)]
    [TestCase("node1;rm -rf /", false)]
    [TestCase("-x", false)]
    public void Only_plain_names_may_reach_sbatch(string name, bool valid) => Assert.That(NodeList.IsValidName(name), Is.EqualTo(valid));
}
