using System.Globalization;
using System.Text.RegularExpressions;
using Disagg.Harness.Common;

namespace Disagg.Harness.Cluster;

/// <summary>
/// sbatch, squeue, scontrol and scancel through an <see cref="ICommandRunner"/>. Query failures are retried
/// with backoff and then thrown; they are never read as "the job finished". sbatch is tried once.
/// </summary>
public sealed partial class SlurmClient(ICommandRunner runner, TimeProvider time)
{
    public const int QueryAttempts = 4;

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);

    private readonly RetryPolicy _queries = new(QueryAttempts, Backoff, e => e is CommandFailedException, time);

    [GeneratedRegex(@"^(\d+)(;.*)?$")] private static partial Regex ParsableId();

    public async Task<string> SubmitAsync(string scriptPath, string workingDirectory, CancellationToken cancellationToken,
        IReadOnlyCollection<string>? exclude = null)
    {
        var excluded = (exclude ?? []).Where(NodeList.IsValidName).Distinct(StringComparer.Ordinal).ToList();
        string[] args = excluded.Count == 0
            ? ["--parsable", scriptPath]
            : ["--parsable", "--exclude=" + string.Join(',', excluded), scriptPath];
        var command = Command.Of("sbatch", args).InDirectory(workingDirectory).WithTimeout(TimeSpan.FromMinutes(2));
        var result = await runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        var line = result.StandardOutput.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";
        var match = ParsableId().Match(line);
        if (!result.IsSuccess || !match.Success)
            throw new CommandFailedException(result, result.IsSuccess
                ? $"sbatch printed no job id (got '{line}')"
                : "the submission was rejected; check partition, account, node count and --gres against 'sinfo'");
        return match.Groups[1].Value;
    }

    /// <summary>One squeue call for many jobs. Jobs SLURM no longer knows are absent from the result.</summary>
    public async Task<IReadOnlyDictionary<string, JobSnapshot>> QueryAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        var snapshots = new Dictionary<string, JobSnapshot>(StringComparer.Ordinal);
        if (jobIds.Count == 0) return snapshots;
        var command = Command.Of("squeue", "-h", "-t", "all", "-j", string.Join(',', jobIds), "-o", "%i|%T|%r|%N").WithTimeout(QueryTimeout);
        var result = await WithRetryAsync(command, ok: r => r.IsSuccess || r.StandardError.Contains("Invalid job id", StringComparison.Ordinal),
            cancellationToken).ConfigureAwait(false);
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Trim().Split('|');
            if (parts.Length < 4) continue;
            snapshots[parts[0]] = new JobSnapshot(parts[0], parts[1], parts[2], parts[3]);
        }
        return snapshots;
    }

    /// <summary>Every pending job of the cluster in scheduling order (priority, then id), for queue positions.</summary>
    public async Task<IReadOnlyList<string>> PendingOrderAsync(CancellationToken cancellationToken)
    {
        var command = Command.Of("squeue", "-h", "-t", "pending", "--sort=-p,i", "-o", "%i").WithTimeout(QueryTimeout);
        var result = await WithRetryAsync(command, ok: r => r.IsSuccess, cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The terminal record from scontrol (no accounting needed); null when SLURM has purged the job.</summary>
    public async Task<JobOutcome?> ShowJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var command = Command.Of("scontrol", "show", "job", "-o", jobId).WithTimeout(QueryTimeout);
        var result = await WithRetryAsync(command, ok: r => r.IsSuccess || r.StandardError.Contains("Invalid job id", StringComparison.Ordinal),
            cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess) return await FromAccountingAsync(jobId, cancellationToken).ConfigureAwait(false);
        var fields = ParseFields(result.StandardOutput);
        return new JobOutcome(jobId,
            fields.GetValueOrDefault("JobState", "UNKNOWN"),
            fields.GetValueOrDefault("ExitCode", "?"),
            fields.GetValueOrDefault("DerivedExitCode", "?"),
            fields.GetValueOrDefault("Reason", "None"),
            fields.GetValueOrDefault("NodeList", ""),
            result.StandardOutput.Trim());
    }

    /// <summary>
    /// A job the controller has purged (after MinJobAge) is still known to accounting where slurmdbd runs.
    /// Without accounting ("accounting storage is disabled") the job is lost: null, never "finished".
    /// </summary>
    private async Task<JobOutcome?> FromAccountingAsync(string jobId, CancellationToken cancellationToken)
    {
        var command = Command.Of("sacct", "-j", jobId, "-X", "-n", "-P", "-o", "JobID,State,ExitCode,DerivedExitCode,Reason,NodeList")
            .WithTimeout(QueryTimeout);
        CommandResult result;
        try
        {
            result = await runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandFailedException)
        {
            return null;
        }
        var line = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().Split('|'))
            .FirstOrDefault(f => f.Length >= 6 && f[0] == jobId);
        return !result.IsSuccess || line is null
            ? null
            : new JobOutcome(jobId, line[1], line[2], line[3], line[4], line[5], "sacct: " + string.Join('|', line));
    }

    public Task CancelAsync(string jobId, CancellationToken cancellationToken) => CancelAsync([jobId], cancellationToken);

    /// <summary>One scancel for many jobs: fast enough to finish inside a signal handler.</summary>
    public async Task CancelAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        if (jobIds.Count == 0) return;
        var command = new Command("scancel", [.. jobIds]).WithTimeout(QueryTimeout);
        await WithRetryAsync(command, ok: r => r.IsSuccess || r.StandardError.Contains("Invalid job id", StringComparison.Ordinal),
            cancellationToken).ConfigureAwait(false);
    }

    internal static Dictionary<string, string> ParseFields(string record)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in record.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && !fields.ContainsKey(token[..eq])) fields[token[..eq]] = token[(eq + 1)..];
        }
        return fields;
    }

    /// <summary>
    /// Queries and scancel only: a result <paramref name="ok"/> rejects, or a command that could not run or hung, is
    /// tried again. sbatch never comes here, since a repeated submission would start a second job.
    /// </summary>
    private Task<CommandResult> WithRetryAsync(Command command, Func<CommandResult, bool> ok, CancellationToken cancellationToken) =>
        _queries.RunAsync(async (_, token) =>
        {
            var result = await runner.RunAsync(command, token).ConfigureAwait(false);
            return ok(result)
                ? result
                : throw new CommandFailedException(result, $"{command.Program} failed {_queries.MaxAttempts} times; is slurmctld up? ('scontrol ping')");
        }, cancellationToken);

    /// <summary>1, 2, 4, 8 s, at most 10 s: rides out a controller restart without holding a test for long.</summary>
    internal static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempt - 1), 10));
}
