using System.Globalization;

namespace Disagg.Sim.Common;

/// <summary>
/// What a broken node prints, rebuilt with the simulator's own values from lines quoted in public issues: an NCCL
/// transport failure over InfiniBand (NVIDIA/nccl-tests#252, NVIDIA/nccl#2076), a GPU Xid (NVIDIA/NVSentinel#155) and a
/// SLURM step-creation failure (eth-cscs/DLA-Future#337). Each ends the process with exit code 1.
/// </summary>
internal static class InfraErrors
{
    public static void PrintAndExit(string fault, string node)
    {
        var err = Console.Error;
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var job = Environment.GetEnvironmentVariable("SLURM_JOB_ID") ?? "0";
        switch (fault)
        {
            case "transport_error":
                err.WriteLine($"{node}:{pid}:{pid} [0] NCCL INFO NET/IB : Using [0]mlx5_0:1/IB ; OOB ib0:10.0.0.1<0>");
                err.WriteLine($"{node}:{pid}:{pid} [0] transport/net_ib.cc:1296 NCCL WARN NET/IB : Got completion from peer 10.0.0.2<40211> "
                    + "with error 12, opcode 0, len 0, vendor err 129 (Recv)");
                new PythonError("torch.distributed.DistBackendError",
                    "NCCL error in: /opt/pytorch/torch/csrc/distributed/c10d/NCCLUtils.hpp:268, remote process exited or there was a network "
                    + "error, NCCL version 2.21.5",
                    ["  File \"/usr/local/lib/python3.12/dist-packages/tensorrt_llm/_torch/distributed/communicator.py\", line 121, in allreduce",
                        "    torch.distributed.all_reduce(tensor)"]).PrintAndExit();
                break;
            case "gpu_xid":
                err.WriteLine($"[ 1843.308145] NVRM: Xid (PCI:0000:3b:00): 79, pid={pid}, name=python3, GPU has fallen off the bus.");
                new PythonError("RuntimeError", "CUDA error: unspecified launch failure",
                    ["  File \"/usr/local/lib/python3.12/dist-packages/tensorrt_llm/_torch/pyexecutor/py_executor.py\", line 1287, in _executor_loop",
                        "    batch_outputs = self._forward_step(scheduled_batch)"]).PrintAndExit();
                break;
            default:
                err.WriteLine($"srun: Job {job} step creation temporarily disabled, retrying (Requested nodes are busy)");
                err.WriteLine($"srun: error: Unable to create step for job {job}: Memory required by task is not available");
                err.Flush();
                Environment.Exit(1);
                break;
        }
    }
}
