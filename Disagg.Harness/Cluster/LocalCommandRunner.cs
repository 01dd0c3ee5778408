using System.Diagnostics;

namespace Disagg.Harness.Cluster;

/// <summary>
/// Runs commands as child processes of the test host, with the command's extra environment on top of this process's.
/// A timeout kills the whole process tree; a non-zero exit throws when the command asks for validation.
/// </summary>
public sealed class LocalCommandRunner : ICommandRunner
{
    public async Task<CommandResult> RunAsync(Command command, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(command.Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = command.WorkingDirectory ?? "",
        };
        foreach (var a in command.Arguments) info.ArgumentList.Add(a);
        foreach (var (name, value) in command.EnvironmentVariables)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        var started = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            var result = new CommandResult(command, 127, "", e.Message, started.Elapsed);
            throw new CommandFailedException(result, $"'{command.Program}' could not be started; is it installed and on PATH?");
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (command.Timeout is { } t) timeout.CancelAfter(t);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            if (cancellationToken.IsCancellationRequested) throw;
            var result = new CommandResult(command, -1, "", $"timed out after {command.Timeout?.TotalSeconds:0} s", started.Elapsed);
            throw new CommandFailedException(result, "the command hung; the SLURM controller may be overloaded or unreachable");
        }
        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        return new CommandResult(command, process.ExitCode, output, errors, started.Elapsed).Validated();
    }
}
