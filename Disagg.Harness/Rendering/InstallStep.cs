using System.Text;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Rendering;

/// <summary>
/// The optional TensorRT-LLM install: a wheel on every node, or a source tree built
/// on one node and installed editable on every node. Output goes to install.log; a failure ends the job.
/// </summary>
public static class InstallStep
{
    public static bool Needed(DisaggConfig config) =>
        config.Environment.TrtllmWheelPath.Length > 0 || config.Environment.TrtllmRepo.Length > 0;

    public static void Append(StringBuilder sb, DisaggConfig config, string mpi, string container)
    {
        var env = config.Environment;
        var allNodes = $" -l -N \"$SLURM_NNODES\" --ntasks=\"$SLURM_NNODES\" --ntasks-per-node=1 --overlap --mpi={mpi}{container}";
        if (env.TrtllmWheelPath.Length > 0)
        {
            sb.Append("run_step install ").Append(JobFiles.InstallLog).Append(allNodes)
              .Append(" bash -c ").AppendLine(BashQuote.Quote($"pip install {BashQuote.Quote(env.TrtllmWheelPath + "[devel]")}"));
            return;
        }
        var repo = BashQuote.Quote(env.TrtllmRepo);
        if (env.BuildWheel)
        {
            var arch = env.CudaArchitectures.Length > 0 ? " --cuda_architectures " + BashQuote.Quote(env.CudaArchitectures) : "";
            sb.Append("run_step build ").Append(JobFiles.InstallLog)
              .Append(" -l -N 1 --ntasks=1 --ntasks-per-node=1 --overlap --mpi=").Append(mpi).Append(container)
              .Append(" bash -c ")
              .AppendLine(BashQuote.Quote(
                  $"cd {repo} && python3 ./scripts/build_wheel.py --trt_root /usr/local/tensorrt --benchmarks --use_ccache --clean{arch}"));
        }
        // Appends to install.log so the build output above is kept.
        sb.Append("JOB_LOG_APPEND=1 run_step install ").Append(JobFiles.InstallLog).Append(allNodes)
          .Append(" bash -c ").AppendLine(BashQuote.Quote($"cd {repo} && pip install -e '.[devel]'"));
    }
}
