using Disagg.Harness.Results;

namespace Disagg.Harness.Tests.Results;

/// <summary>Worker log heads as the launcher and the servers write them (rank prefix from <c>srun -l</c>).</summary>
public sealed class ModelLoadEvidenceTests
{
    private const string Launcher = "0: SLURM_PROCID: 0, hostname: gpu-a17, node: node3, instance_id: 0\n0: CUDA_VISIBLE_DEVICES: 0,1\n";

    [TestCase("0: [TRT-LLM] [I] Loading model /models/DeepSeek-R1 as generation server: tensor_parallel_size=8\n")]
    [TestCase("0: Loading Model: [1/3]\tLoading HF model to memory\n")]
    [TestCase("0: [12/06/2026-10:00:01] [TRT-LLM] [I] loading model weights from /lustre/ckpt\n")]
    public void A_load_line_shows_the_load_began(string line)
    {
        var start = ModelLoadEvidence.Read("gen_server_0.log", Launcher + line);
        Assert.That((start.LoadingStarted, start.Node), Is.EqualTo((true, "node3")));
    }

    [TestCase("")]
    [TestCase("0: [TRT-LLM] [I] Starting TensorRT-LLM init. Version: 1.2.0\n")]
    [TestCase("0: srun: error: mount of /lustre failed: Stale file handle\n")]
    public void Without_a_load_line_the_load_never_began(string line) =>
        Assert.That(ModelLoadEvidence.Read("ctx_server_0.log", Launcher + line).LoadingStarted, Is.False);

    [Test]
    public void A_log_without_the_launcher_line_names_no_node() =>
        Assert.That(ModelLoadEvidence.Read("ctx_server_0.log", "0: node: $(reboot),\n").Node, Is.Null);

    [Test]
    public void A_hostile_node_name_in_the_launcher_line_is_not_taken() =>
        Assert.That(ModelLoadEvidence.Read("ctx_server_0.log", "0: SLURM_PROCID: 0, hostname: x, node: no de;rm,\n").Node, Is.Null);
}
