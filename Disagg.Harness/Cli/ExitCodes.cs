namespace Disagg.Harness.Cli;

/// <summary>
/// Exit codes of the <c>disagg</c> verbs (render, report, upload-pending, cancel, reevaluate):
/// 0 done and everything passed; 1 the verb ran and found a failure (a failing check, an entry still pending,
/// a job SLURM still shows, SLURM unreachable); 2 the input cannot be used (bad command line, missing file or
/// folder, invalid config or cluster profile). validate and list keep their own rule: 1 for any error.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
}
