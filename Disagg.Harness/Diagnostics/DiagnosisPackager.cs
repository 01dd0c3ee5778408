using System.Globalization;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Execution;
using Disagg.Harness.Rendering;

namespace Disagg.Harness.Diagnostics;

/// <summary>
/// The runner half of the failure-diagnosis package. A job normally packages itself (PackagingFunctions);
/// when it could not (rejected submission, never started, node failure, SIGKILL, purged job, lost connection)
/// the runner builds the same archive from what it has: the rendered files, the logs it can read, SLURM's view
/// of the job and its own log lines. The archive sits in the test's workspace under
/// <see cref="JobFiles.DiagnosisArchive"/>, where CI collects <see cref="JobFiles.DiagnosisArchiveGlob"/>.
/// </summary>
public static class DiagnosisPackager
{
    public const string Unsubmitted = "unsubmitted";

    /// <summary>The job's own failure package, or one built now. Never throws: a packaging problem is logged and yields null.</summary>
    public static async Task<string?> FindOrBuildAsync(RunContext context, DiagnosisInput input, Action<string> log, CancellationToken cancellationToken)
    {
        var workspace = input.Workspace;
        try
        {
            if (input.JobId is { } jobId
                && await FindJobArchiveAsync(context.Files, workspace, jobId, context.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false) is { } found)
            {
                log($"diagnosis package written by job {jobId}: {found}");
                return found;
            }
            var built = await BuildAsync(context, input, cancellationToken).ConfigureAwait(false);
            log($"the job left no diagnosis package; the runner built {built}");
            return built;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CommandFailedException or InvalidOperationException)
        {
            log($"could not build a diagnosis package: {e.Message}; the logs stay in {workspace}");
            return null;
        }
    }

    /// <summary>The job names its archive with the UTC date it packaged on; look back a few days for long jobs.</summary>
    public static async Task<string?> FindJobArchiveAsync(IClusterFiles files, string workspace, string jobId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (var back = -1; back <= 7; back++)
        {
            var path = Path.Combine(workspace, JobFiles.DiagnosisArchive(jobId, "failure", today.AddDays(-back)));
            if (await files.ExistsAsync(path, cancellationToken).ConfigureAwait(false)) return path;
        }
        return null;
    }

    public static async Task<string> BuildAsync(RunContext context, DiagnosisInput input, CancellationToken cancellationToken)
    {
        var workspace = input.Workspace;
        var jobId = input.JobId;
        var result = input.Run;
        var error = input.Error;
        var secrets = SecretFilter.SecretValues(context.Profile.JobEnv);
        string Clean(string text) => SecretFilter.Redact(text, secrets);

        var files = new List<(string Name, string Text)>();
        foreach (var name in WorkspaceNames(input.WorkspaceFiles, workspace))
        {
            var path = Path.Combine(workspace, name);
            if (!await context.Files.ExistsAsync(path, cancellationToken).ConfigureAwait(false)) continue;
            var bytes = await context.Files.ReadFromAsync(path, 0, cancellationToken).ConfigureAwait(false);
            files.Add((name, Clean(Encoding.UTF8.GetString(bytes))));
        }

        var outcome = result?.Outcome;
        var slurm = new StringBuilder();
        if (jobId is null)
            slurm.Append("The job was never submitted, so SLURM knows nothing about it.\n");
        else
        {
            foreach (var command in SlurmCommands(jobId))
                slurm.Append(await RunQuietlyAsync(context.Runner, command, cancellationToken).ConfigureAwait(false));
            if (outcome is null)
            {
                try { outcome = await context.Slurm.ShowJobAsync(jobId, cancellationToken).ConfigureAwait(false); }
                catch (CommandFailedException) { /* stays unknown; slurm_state.txt shows why */ }
            }
        }
        var host = Environment.MachineName;
        var notOnNode = $"not captured: the job did not package itself, and the runner (on {host}) has no view of the job's nodes";
        files.Add((JobFiles.SlurmState, Clean(slurm.ToString())));
        files.Add((JobFiles.RunnerLog, Clean(RunnerLog(input.LogLines, error))));
        files.Add((JobFiles.NvidiaSmi, notOnNode + "\n"));
        files.Add((JobFiles.Processes, notOnNode + "\n"));
        var diskUsage = Command.Of("df", "-h", workspace).WithTimeout(TimeSpan.FromSeconds(20));
        files.Add((JobFiles.DiskUsage, Clean(await RunQuietlyAsync(context.Runner, diskUsage, cancellationToken).ConfigureAwait(false))));

        var problems = new List<string>(result?.Problems ?? []);
        if (error is not null) problems.Insert(0, Clean(Describe(error)));
        var why = error is not null ? "the run broke before the job could package"
            : jobId is null ? "the job was never submitted"
            : outcome is null ? "SLURM no longer knows the job (purged, or the runner lost the cluster)"
            : $"the job ended {outcome.State} without packaging (killed before its traps ran, node failure, or never started)";
        var now = context.Time.GetUtcNow();
        var summary = new SummaryInput(
            result?.TestId ?? Path.GetFileName(workspace),
            jobId,
            "failure",
            $"the runner on {host}, because {why}",
            now,
            outcome,
            problems,
            result?.Phases ?? [],
            LogOrder(files).Select(f => new PackagedLog(f.Name, f.Text)).ToList(),
            files.Select(f => f.Name).Append(JobFiles.DiagnosisSummary).ToList(),
            workspace);
        var archive = Path.Combine(workspace, JobFiles.DiagnosisArchive(jobId ?? Unsubmitted, "failure", DateOnly.FromDateTime(now.UtcDateTime)));
        Directory.CreateDirectory(workspace);
        DiagnosisArchive.Write(archive, DiagnosisSummary.Build(summary), files);
        return archive;
    }

    /// <summary>Servers as planned, then the other logs, the job's own stdout/stderr last (as the job orders them).</summary>
    internal static IEnumerable<(string Name, string Text)> LogOrder(IEnumerable<(string Name, string Text)> files)
    {
        var logs = files
            .Where(f => f.Name.EndsWith(".log", StringComparison.Ordinal)
                || f.Name.EndsWith(".err", StringComparison.Ordinal)
                || f.Name.EndsWith(".out", StringComparison.Ordinal))
            .Where(f => f.Name != JobFiles.RunnerLog)
            .ToList();
        return logs.Where(f => !f.Name.StartsWith("slurm-", StringComparison.Ordinal))
            .Concat(logs.Where(f => f.Name.StartsWith("slurm-", StringComparison.Ordinal)));
    }

    private static IEnumerable<string> WorkspaceNames(IReadOnlyList<string> expected, string workspace)
    {
        var names = new List<string>(expected);
        // A local workspace (the local cluster, or a shared file system) may hold more logs than planned.
        if (Directory.Exists(workspace))
            names.AddRange(Directory.EnumerateFiles(workspace, "*.log", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(workspace, p))
                .Order(StringComparer.Ordinal));
        return names.Distinct(StringComparer.Ordinal);
    }

    private static IEnumerable<Command> SlurmCommands(string jobId) =>
    [
        Command.Of("squeue", "-h", "-t", "all", "-j", jobId, "-o", "%i %T %r %N %M %l").WithTimeout(TimeSpan.FromSeconds(30)),
        Command.Of("scontrol", "show", "job", jobId).WithTimeout(TimeSpan.FromSeconds(30)),
        Command.Of("sacct", "-j", jobId, "--format=JobID,JobName%30,State,ExitCode,Elapsed,NodeList%30", "-P").WithTimeout(TimeSpan.FromSeconds(30)),
    ];

    private static async Task<string> RunQuietlyAsync(ICommandRunner runner, Command command, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder().Append("$ ").Append(command).Append('\n');
        try
        {
            var r = await runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
            sb.Append(r.StandardOutput);
            if (r.StandardError.Length > 0) sb.Append("[stderr] ").Append(r.StandardError);
            sb.Append(CultureInfo.InvariantCulture, $"[exit code {r.ExitCode}]\n\n");
        }
        catch (Exception e) when (e is CommandFailedException or IOException or System.ComponentModel.Win32Exception)
        {
            sb.Append("[failed] ").Append(e.Message).Append("\n\n");
        }
        return sb.ToString();
    }

    private static string RunnerLog(IReadOnlyList<string> lines, Exception? error)
    {
        var sb = new StringBuilder();
        foreach (var line in lines) sb.Append(line).Append('\n');
        if (error is not null) sb.Append("run stopped by ").Append(Describe(error)).Append('\n');
        return sb.ToString();
    }

    private static string Describe(Exception error) => error switch
    {
        CommandFailedException c => c.Message,
        _ => $"{error.GetType().Name}: {error.Message}",
    };
}
