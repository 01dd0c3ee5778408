using Disagg.Harness.Cluster;
using Disagg.Harness.Common;

namespace Disagg.Harness.Cli;

/// <summary>
/// <c>disagg cancel &lt;run-id&gt; [--wait SECONDS]</c>: cancels every pending or running job of a run (comment
/// <c>disagg-run=&lt;run-id&gt;</c>; the run id is DISAGG_RUN_ID or the results folder's name) and waits until SLURM shows
/// them ended. Exit 0 when none is left (also when there was none), 1 when SLURM still shows one or cannot be asked.
/// The id is sanitised as the run sanitised it (<see cref="RunIds"/>), so CI may pass the raw DISAGG_RUN_ID.
/// </summary>
public static class CancelCommand
{
    public static async Task<int> RunAsync(string rawRunId, TimeSpan wait, ICommandRunner runner, TimeProvider time, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        string runId;
        try
        {
            runId = RunIds.Sanitize(rawRunId);
        }
        catch (ArgumentException e)
        {
            error.WriteLine("cancel: " + e.Message);
            return ExitCodes.BadInput;
        }
        if (runId != rawRunId) output.WriteLine($"cancel: run id '{rawRunId}' is spelled '{runId}' on the cluster, as the run spelled it");
        if (wait <= TimeSpan.Zero)
        {
            error.WriteLine("cancel: --wait must be a positive number of seconds");
            return ExitCodes.BadInput;
        }
        SweepResult result;
        try
        {
            result = await new RunSweeper(runner, time).SweepAsync(runId, wait, output.WriteLine, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandFailedException e)
        {
            error.WriteLine("cancel: " + e.Message);
            return ExitCodes.Failed;
        }
        if (result.Found.Count == 0)
        {
            output.WriteLine($"cancel: no pending or running job of run {runId} (comment disagg-run={runId})");
            return ExitCodes.Ok;
        }
        foreach (var (job, state) in result.FinalStates.OrderBy(p => p.Key, StringComparer.Ordinal))
            output.WriteLine($"job {job}: {state}");
        if (result.AllEnded)
        {
            output.WriteLine($"cancel: {result.Found.Count} job(s) of run {runId} ended");
            return ExitCodes.Ok;
        }
        error.WriteLine($"cancel: SLURM still shows {string.Join(", ", result.StillActive)} after {wait.TotalSeconds:0} s; "
            + $"check with squeue -j {string.Join(',', result.StillActive)}");
        return ExitCodes.Failed;
    }
}
