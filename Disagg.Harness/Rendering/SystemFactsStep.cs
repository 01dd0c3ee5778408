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

    /// <summary>
    /// The TensorRT-LLM the servers will run (after any install step), as upstream's job records it: the package version
    /// from its metadata (nothing is imported) and TRT_LLM_GIT_COMMIT when the image or the install set it.
    /// </summary>
    private const string VersionProbe =
        "echo \"== TensorRT-LLM on $SLURMD_NODENAME\"; " +
        "python3 -c 'import importlib.metadata as m; print(\"tensorrt_llm:\", m.version(\"tensorrt_llm\"))' 2>/dev/null " +
        "|| echo \"tensorrt_llm: not installed on this node\"; " +
        "echo \"TRT_LLM_GIT_COMMIT: ${TRT_LLM_GIT_COMMIT:-unknown}\"";

    /// <summary>One node's TensorRT-LLM version, appended to system_facts.txt once the install step (if any) is done.</summary>
    public static void AppendVersion(StringBuilder sb, string mpi, string container)
    {
        sb.Append("srun -l -N 1 --ntasks=1 --ntasks-per-node=1 --overlap --mpi=").Append(mpi).Append(container)
          .Append(" bash -c ").Append(BashQuote.Quote(VersionProbe))
          .Append(" &>> \"$WORKSPACE/").Append(JobFiles.SystemFacts).AppendLine("\" || echo \"TensorRT-LLM version could not be collected\"");
    }

    public static void Append(StringBuilder sb, string mpi, string container)
    {
        sb.Append("srun -l -N \"$SLURM_NNODES\" --ntasks=\"$SLURM_NNODES\" --ntasks-per-node=1 --overlap --mpi=").Append(mpi).Append(container)
          .Append(" bash -c ").Append(BashQuote.Quote(Probe))
          .Append(" &> \"$WORKSPACE/").Append(JobFiles.SystemFacts)
          .AppendLine("\" || echo \"system facts could not be collected; see " + JobFiles.SystemFacts + "\"");
    }
}
