using System.Diagnostics;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Disagg.Harness.Cluster;

/// <summary>
/// Runs commands on the login node over the run's <see cref="SshConnection"/>. The command line and the
/// command's environment variables are quoted once for the remote shell (<see cref="Disagg.Harness.Common.BashQuote"/>), so
/// arguments and values with spaces or quotes arrive intact. Read-only queries and scancel are repeated after a
/// reconnect; sbatch is not, since a second submission would start a second job.
/// </summary>
public sealed class SshCommandRunner(SshConnection connection) : ICommandRunner
{
    /// <summary>Programs whose repetition is harmless (queries, and scancel which tolerates an ended job).</summary>
    private static readonly HashSet<string> IdempotentPrograms = new(StringComparer.Ordinal)
    {
        "squeue", "sinfo", "sacct", "scancel", "cat", "ls", "stat", "test", "echo", "true", "hostname", "id", "pwd", "uname",
    };

    public Task<CommandResult> RunAsync(Command command, CancellationToken cancellationToken) =>
        connection.UseAsync<SshClient, CommandResult>(command, IsIdempotent(command), (client, token) => ExecuteAsync(client, command, token),
            cancellationToken);

    /// <summary>
    /// The text the remote shell runs: <c>export NAME='value' &amp;&amp; unset OTHER &amp;&amp; cd dir &amp;&amp; program 'arg' ...</c>,
    /// each part only when the command has it.
    /// </summary>
    public static string RemoteText(Command command)
    {
        var parts = new List<string>();
        var set = command.EnvironmentVariables.Where(v => v.Value is not null).ToList();
        if (set.Count > 0) parts.Add("export " + string.Join(' ', set.Select(v => $"{v.Key}={Disagg.Harness.Common.BashQuote.Quote(v.Value!)}")));
        var unset = command.EnvironmentVariables.Where(v => v.Value is null).Select(v => v.Key).ToList();
        if (unset.Count > 0) parts.Add("unset " + string.Join(' ', unset));
        if (command.WorkingDirectory is { Length: > 0 } directory) parts.Add("cd " + Disagg.Harness.Common.BashQuote.Quote(directory));
        parts.Add(command.ToString());
        return string.Join(" && ", parts);
    }

    internal static bool IsIdempotent(Command command) =>
        IdempotentPrograms.Contains(command.Program) ||
        (command.Program == "scontrol" && command.Arguments.Count > 0 && command.Arguments[0] == "show");

    private static async Task<CommandResult> ExecuteAsync(SshClient client, Command command, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        using var ssh = client.CreateCommand(RemoteText(command));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (command.Timeout is { } limit) timeout.CancelAfter(limit);
        try
        {
            await ssh.ExecuteAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A silently dead link looks like a hung command: let the connection decide which it was.
            if (!client.IsConnected) throw new SshConnectionException("the connection dropped while the command ran");
            var result = new CommandResult(command, -1, ssh.Result, $"timed out after {command.Timeout?.TotalSeconds:0} s", started.Elapsed);
            throw new CommandFailedException(result, "the command hung on the login node; the SLURM controller may be overloaded or unreachable");
        }
        // No exit status and no signal: the channel closed under the command, which is a link failure, not an exit code.
        if (ssh.ExitStatus is null && ssh.ExitSignal is null && !client.IsConnected)
            throw new SshConnectionException("the connection closed before the command reported an exit status");
        var exitCode = ssh.ExitStatus ?? (ssh.ExitSignal is not null ? 128 + SignalNumber(ssh.ExitSignal) : -1);
        return new CommandResult(command, exitCode, ssh.Result, ssh.Error, started.Elapsed).Validated();
    }

    private static int SignalNumber(string signal) => signal switch
    {
        "HUP" => 1, "INT" => 2, "QUIT" => 3, "KILL" => 9, "SEGV" => 11, "PIPE" => 13, "ALRM" => 14, "TERM" => 15, _ => 0,
    };
}
