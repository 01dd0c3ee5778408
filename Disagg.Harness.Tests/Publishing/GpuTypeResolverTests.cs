using Disagg.Harness.Publishing;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Publishing;

/// <summary><c>s_gpu_type</c> comes from the job's own nvidia-smi facts; <c>DISAGG_GPU_TYPE</c> / <c>GPU_TYPE</c> only override it.</summary>
public sealed class GpuTypeResolverTests
{
    [TestCase("0: 0, NVIDIA GB200, 570.124.06, 189471 MiB", "gb200")]
    [TestCase("0, NVIDIA B200, 570.86.15, 183359 MiB", "b200")]
    [TestCase("1: 0, NVIDIA GB300, 580.65.06, 284208 MiB", "gb300")]
    [TestCase("0: 0, NVIDIA H200, 570.86.15, 143771 MiB", "h200")]
    [TestCase("0: 0, NVIDIA H100 80GB HBM3, 570.86.15, 81559 MiB", "unsupported")]
    [TestCase("    Product Name                          : NVIDIA B300", "b300")]
    public void The_last_word_of_the_first_product_name_maps_to_the_gpu_type(string line, string expected) =>
        Assert.That(GpuTypeResolver.FromSystemFacts("0: == node n1 (hostname n1)\n0: cpu: Neoverse-V2\n" + line + "\n0: CUDA Version : 12.8\n"),
            Is.EqualTo(expected));

    [Test]
    public void A_node_without_nvidia_smi_names_no_gpu()
    {
        const string facts = "0: == node sim1 (hostname sim1)\n0: cpu: AMD EPYC\n"
                             + "0: nvidia-smi: unavailable on this node (no NVIDIA driver)\n0: gpus (slurm): 0,1\n";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(GpuTypeResolver.FromSystemFacts(facts), Is.Null);
            Assert.That(GpuTypeResolver.Resolve(new Dictionary<string, string>(), facts), Is.EqualTo("unsupported"));
        }
    }

    [Test]
    public void The_job_facts_win_unless_an_override_is_set()
    {
        var facts = File.ReadAllText(FixturePaths.Fixture("upstream", "system_facts.txt"));
        string Resolve(string? facts, params (string Key, string Value)[] env) =>
            GpuTypeResolver.Resolve(env.ToDictionary(e => e.Key, e => e.Value), facts);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Resolve(facts), Is.EqualTo("gb200"));
            Assert.That(Resolve(facts, ("GPU_TYPE", "B200")), Is.EqualTo("b200"));
            Assert.That(Resolve(facts, ("GPU_TYPE", "B200"), ("DISAGG_GPU_TYPE", "gb300")), Is.EqualTo("gb300"));
            Assert.That(Resolve(null, ("GPU_TYPE", "GB200_LYRIS")), Is.EqualTo("gb200"));
            Assert.That(Resolve(facts, ("GPU_TYPE", "H100")), Is.EqualTo("unsupported"));
            Assert.That(Resolve(facts, ("GPU_TYPE", "  ")), Is.EqualTo("gb200"), "a blank override is no override");
        }
    }
}
