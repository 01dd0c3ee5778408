namespace Disagg.Harness.Cluster;

/// <summary>
/// The SLURM job comment that ties a job to its run (<c>sbatch --comment=disagg-run=&lt;run id&gt;</c>), so
/// <c>disagg cancel &lt;run-id&gt;</c> finds every job of a run with one squeue call, even after the runner died.
/// </summary>
public static class RunComment
{
    public const string Prefix = "disagg-run=";

    public static string For(string runId) => Prefix + runId;
}
