using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Disagg.Sim.Tests.Support;

/// <summary>
/// A real <c>dotnet Disagg.Sim.dll ...</c> child process with captured output, SIGTERM and cleanup — the same way a
/// SLURM step runs it. A live process handle rather than the harness's run-to-the-end Command: tests talk to the
/// simulator over HTTP while it runs and signal it.
/// </summary>
internal sealed class SimProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();
    private bool _disposed;

    private SimProcess(Process process) => _process = process;

    /// <summary>Every process started by the tests, so the assembly-level reaper can kill leftovers.</summary>
    internal static ConcurrentBag<Process> Started { get; } = [];

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "Disagg.Sim.dll");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    public static SimProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["SIM_ACCESS_LOG"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var sim = new SimProcess(process);
        process.OutputDataReceived += (_, e) => sim.Append(sim._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => sim.Append(sim._stderr, e.Data);
        process.Start();
        Started.Add(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sim;
    }

    /// <summary>Waits for exit and returns the exit code (output fully read).</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Polls stdout+stderr for <paramref name="text"/>; fails fast if the process exits first.</summary>
    public async Task WaitForOutputAsync(string text, CancellationToken cancellationToken)
    {
        while (!Stdout.Contains(text, StringComparison.Ordinal) && !Stderr.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"process exited with {_process.ExitCode} before printing '{text}':\n{Stdout}\n{Stderr}");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    public void SendSigterm()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            SendSigterm();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            target.Append(line).Append('\n');
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
