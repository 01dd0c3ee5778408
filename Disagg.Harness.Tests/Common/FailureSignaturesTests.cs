using Disagg.Harness.Common;

namespace Disagg.Harness.Tests.Common;

/// <summary>
/// One case per infrastructure signature: a log line rebuilt with our own hosts, pids and addresses from a line quoted
/// in the public issue named as the signature's origin, which the follower and the classifier must both recognise.
/// </summary>
public sealed class FailureSignaturesTests
{
    private static readonly Dictionary<string, string> Lines = new(StringComparer.Ordinal)
    {
        // NVIDIA/nccl#2076 (torch DistBackendError raised by a remote rank's exit or a network error)
        ["NCCL remote error"] = "torch.distributed.DistBackendError: NCCL error in: /opt/pytorch/torch/csrc/distributed/c10d/NCCLUtils.hpp:268, "
            + "remote process exited or there was a network error, NCCL version 2.21.5",
        // NVIDIA/nccl#1657
        ["NCCL system error"] = "RuntimeError: NCCL error in: ProcessGroupNCCL.cpp:825, unhandled system error, NCCL version 2.18.1",
        // pytorch/pytorch#118369
        ["NCCL timeout"] = "[rank3]:[E ProcessGroupNCCL.cpp:563] [Rank 3] Watchdog caught collective operation timeout: "
            + "WorkNCCL(SeqNum=42, OpType=ALLREDUCE, NumelIn=4096, NumelOut=4096, Timeout(ms)=600000) ran for 600123 milliseconds before timing out.",
        // NVIDIA/nccl-tests#252
        ["NCCL IB completion error"] = "node3:4242:4250 [0] transport/net_ib.cc:1296 NCCL WARN NET/IB : Got completion from peer 10.1.2.3<50123> "
            + "with error 12, opcode 0, len 0, vendor err 129 (Recv)",
        // openucx/ucx#3087
        ["UCX endpoint timeout"] = "[node3:7001:0:7001]    ud_iface.c:732  UCX Fatal: transport error: Endpoint timeout",
        // rapidsai/ucx-py#131
        ["UCX transport retry exceeded"] =
            "[node3:7001:0:7001] ib_mlx5_log.c:139  Transport retry count exceeded on mlx5_2:1/IB (synd 0x15 vend 0x81 hw_synd 0/0)",
        // eth-cscs/DLA-Future#337
        ["SLURM step creation failure"] = "srun: error: Unable to create step for job 4711: Memory required by task is not available",
        // ZettaAI/zetta_utils#671 (the TIME LIMIT form of the same slurmstepd line)
        ["SLURM node failure"] = "slurmstepd: error: *** JOB 4711 ON node3 CANCELLED AT 2026-12-07T01:02:03 DUE TO NODE FAILURE ***",
        // NVIDIA/NVSentinel#155
        ["GPU Xid"] = "[ 1843.308145] NVRM: Xid (PCI:0000:3b:00): 79, pid=4242, name=python3, GPU has fallen off the bus.",
        // NVIDIA/open-gpu-kernel-modules#507
        ["GPU fallen off the bus"] = "NVRM: The NVIDIA GPU 0000:b3:00.0 (PCI ID: 10de:2330) installed in this system has fallen off the bus",
        // vllm-project/vllm#5222
        ["GPU uncorrectable ECC error"] = "RuntimeError: CUDA error: uncorrectable ECC error encountered",
        // huggingface/transformers#9732
        ["stale file handle"] = "OSError: [Errno 116] Stale file handle: '/lustre/models/sim-tiny/config.json'",
    };

    public static IEnumerable<TestCaseData> Signatures() =>
        FailureSignatures.Infrastructure.Select(s => new TestCaseData(s).SetArgDisplayNames(s.Name));

    [TestCaseSource(nameof(Signatures))]
    public void Each_infrastructure_signature_matches_its_real_line_and_names_an_origin(FailureSignature signature)
    {
        Assert.That(Lines.TryGetValue(signature.Name, out var line), Is.True, $"no real line for the signature '{signature.Name}'");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(FailureSignatures.MatchInfrastructure(line!), Is.EqualTo(signature));
            Assert.That(signature.Class, Is.EqualTo(FailureClass.Infrastructure));
            Assert.That(signature.Origin, Does.StartWith("https://github.com/"));
        }
    }

    [Test]
    public void The_follower_sees_infrastructure_lines_before_the_generic_runtime_error()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(FailureSignatures.Match(Lines["NCCL system error"])?.Name, Is.EqualTo("NCCL system error"));
            Assert.That(FailureSignatures.Match(Lines["SLURM step creation failure"])?.Name, Is.EqualTo("SLURM step creation failure"));
            Assert.That(FailureSignatures.Match("RuntimeError: Executor worker returned error")?.Name, Is.EqualTo("runtime error"));
            Assert.That(FailureSignatures.Match("RuntimeError: Executor worker returned error")?.Class, Is.EqualTo(FailureClass.Product));
        }
    }

    [Test]
    public void A_node_failure_teardown_line_is_noise_to_the_follower_but_a_cause_to_the_classifier()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(FailureSignatures.Match(Lines["SLURM node failure"]), Is.Null);
            Assert.That(FailureSignatures.MatchInfrastructure(Lines["SLURM node failure"])?.Name, Is.EqualTo("SLURM node failure"));
        }
    }

    [Test]
    public void Every_sample_line_belongs_to_a_signature_of_the_table() =>
        Assert.That(Lines.Keys, Is.EquivalentTo(FailureSignatures.Infrastructure.Select(s => s.Name)));
}
