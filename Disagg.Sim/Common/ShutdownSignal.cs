using System.Runtime.InteropServices;

namespace Disagg.Sim.Common;

/// <summary>
/// Turns SIGTERM/SIGINT (srun, scancel, Ctrl+C) into a <see cref="CancellationToken"/>. A watchdog ends the process
/// if the graceful shutdown has not finished within one second.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _cts = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly int _watchdogExitCode;
    private Timer? _watchdog;

    private ShutdownSignal(int watchdogExitCode)
    {
        _watchdogExitCode = watchdogExitCode;
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
    }

    public CancellationToken Token => _cts.Token;

    public bool Received => _cts.IsCancellationRequested;

    /// <summary>Registers the handlers; <paramref name="watchdogExitCode"/> is used if the shutdown hangs.</summary>
    public static ShutdownSignal Register(int watchdogExitCode) => new(watchdogExitCode);

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (_cts.IsCancellationRequested)
        {
            return;
        }

        _watchdog = new Timer(_ => ForceExit(), null, Watchdog, Timeout.InfiniteTimeSpan);
        _cts.Cancel();
    }

    private void ForceExit()
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Environment.Exit(_watchdogExitCode);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _watchdog?.Dispose();
        _cts.Dispose();
    }
}
