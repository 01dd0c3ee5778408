using System.Runtime.InteropServices;
using Disagg.Harness.Cluster;

namespace Disagg.Harness.Execution;

/// <summary>The per-run services every test shares: settings, the cluster connection and the one job monitor.</summary>
public sealed class RunContext : IAsyncDisposable
{
    public RunContext(RunSettings settings, ClusterProfile profile, ICommandRunner runner, IClusterFiles files, TimeProvider time)
    {
        Settings = settings;
        Profile = profile;
        Runner = runner;
        Files = files;
        Time = time;
        Slurm = new SlurmClient(runner, time);
        Monitor = new JobMonitor(Slurm, time, profile.PollInterval);
        if (!OperatingSystem.IsWindows())
            _signals = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    private readonly PosixSignalRegistration[] _signals = [];

    /// <summary>Ctrl-C or SIGTERM of the runner: cancel every job of the run before the process goes.</summary>
    private void OnSignal(PosixSignalContext signal)
    {
        var cancelled = CancelAllAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(60));
        Console.Error.WriteLine($"[disagg] {signal.Signal}: {(cancelled ? "cancelled" : "tried to cancel")} the run's jobs: {string.Join(", ", _lastCancelled)}");
    }

    private IReadOnlyList<string> _lastCancelled = [];

    /// <summary>scancel every job this run still follows and wait (bounded) until SLURM shows each one ended.</summary>
    public async Task<IReadOnlyList<string>> CancelAllAsync(CancellationToken cancellationToken)
    {
        var jobs = Monitor.Tracked.ToList();
        _lastCancelled = jobs;
        foreach (var job in jobs)
            await Slurm.CancelAsync(job, cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            while (jobs.Count > 0)
            {
                var states = await Slurm.QueryAsync(jobs, timeout.Token).ConfigureAwait(false);
                jobs = jobs.Where(j => states.TryGetValue(j, out var s) && !s.IsTerminal).ToList();
                if (jobs.Count > 0) await Task.Delay(TimeSpan.FromMilliseconds(300), Time, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Reported by the caller through the jobs SLURM still shows.
        }
        return _lastCancelled;
    }

    public RunSettings Settings { get; }
    public ClusterProfile Profile { get; }
    public ICommandRunner Runner { get; }
    public IClusterFiles Files { get; }
    public TimeProvider Time { get; }
    public SlurmClient Slurm { get; }
    public JobMonitor Monitor { get; }

    public static RunContext CreateLocal(RunSettings settings)
    {
        var profile = ClusterProfileLoader.Load(settings.ClusterProfile, settings.RepoRoot);
        if (profile.Transport != Transport.Local)
            throw new NotSupportedException($"{settings.ClusterProfile}: transport '{profile.Transport}' is not available in this build; use a local profile.");
        return new RunContext(settings, profile, new LocalCommandRunner(), new LocalClusterFiles(), TimeProvider.System);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var registration in _signals) registration.Dispose();
        return Monitor.DisposeAsync();
    }
}
