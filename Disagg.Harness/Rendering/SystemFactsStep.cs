using System.Text;
using Disagg.Harness.Common;

namespace Disagg.Harness.Rendering;

/// <summary>
/// Per-node facts captured inside the job (GPU model and count, driver and CUDA versions, CPU model,
/// hostname) into system_facts.txt, replacing the old separate "session collect" job. Best effort: a
/// node without nvidia-smi says so instead of failing the job.
/// </summary>
public static class SystemFactsStep
{
    private const string Probe =
        "echo \"== node $SLURMD_NODENAME (hostname $(hostname))\"; " +
        "echo \"cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')\"; " +
        "if command -v nvidia-smi >/dev/null 2>&1; then " +
        "nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader; " +
        "nvidia-smi -q | grep -m1 'CUDA Version'; " +
        "else echo \"nvidia-smi: unavailable on this node (no NVIDIA driver)\"; fi; " +
        "echo \"gpus (slurm): ${SLURM_JOB_GPUS:-${CUDA_VISIBLE_DEVICES:-none}}\"";

    public static void Append(StringBuilder sb, string mpi, string container)
    {
        sb.Append("srun -l -N \"$SLURM_NNODES\" --ntasks=\"$SLURM_NNODES\" --ntasks-per-node=1 --overlap --mpi=").Append(mpi).Append(container)
          .Append(" bash -c ").Append(BashQuote.Quote(Probe))
          .Append(" &> \"$WORKSPACE/").Append(JobFiles.SystemFacts).AppendLine("\" || echo \"system facts could not be collected; see " + JobFiles.SystemFacts + "\"");
    }
}
