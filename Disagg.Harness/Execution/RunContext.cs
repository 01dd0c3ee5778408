using System.Runtime.InteropServices;
using Disagg.Harness.Cluster;

namespace Disagg.Harness.Execution;

/// <summary>The per-run services every test shares: settings, the cluster connection and the one job monitor.</summary>
public sealed class RunContext : IAsyncDisposable
{
    private readonly IAsyncDisposable? _connection;

    public RunContext(RunSettings settings, ClusterProfile profile, ICommandRunner runner, IClusterFiles files, TimeProvider time,
        WorkspaceLayout? workspaces = null, IAsyncDisposable? connection = null)
    {
        Settings = settings;
        Profile = profile;
        Runner = runner;
        Files = files;
        Time = time;
        Workspaces = workspaces ?? WorkspaceLayout.Local(settings.ResultsDir);
        _connection = connection;
        Slurm = new SlurmClient(runner, time);
        Monitor = new JobMonitor(Slurm, time, profile.PollInterval);
        Canceller = new JobCanceller(Slurm, time);
        if (!OperatingSystem.IsWindows())
            _signals = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    private readonly PosixSignalRegistration[] _signals = [];

    /// <summary>Ctrl-C or SIGTERM of the runner: cancel every job of the run before the process goes.</summary>
    private void OnSignal(PosixSignalContext signal)
    {
        var cancelled = CancelAllAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(60));
        Console.Error.WriteLine(
            $"[disagg] {signal.Signal}: {(cancelled ? "cancelled" : "tried to cancel")} the run's jobs: {string.Join(", ", _lastCancelled)}");
    }

    private IReadOnlyList<string> _lastCancelled = [];

    /// <summary>scancel every job this run still follows and wait (bounded) until SLURM shows each one ended.</summary>
    public async Task<IReadOnlyList<string>> CancelAllAsync(CancellationToken cancellationToken)
    {
        var jobs = Monitor.Tracked.ToList();
        _lastCancelled = jobs;
        await Canceller.CancelAndWaitAsync(jobs, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return _lastCancelled;
    }

    public RunSettings Settings { get; }
    public ClusterProfile Profile { get; }
    public ICommandRunner Runner { get; }
    public IClusterFiles Files { get; }
    public TimeProvider Time { get; }
    public WorkspaceLayout Workspaces { get; }
    public SlurmClient Slurm { get; }
    public JobMonitor Monitor { get; }
    public JobCanceller Canceller { get; }

    /// <summary>The profile's transport decides: this host's SLURM tools, or a login node over SSH (<c>ssh:</c> section).</summary>
    public static RunContext Create(RunSettings settings, Action<string>? log = null)
    {
        var profile = ClusterProfileLoader.Load(settings.ClusterProfile, settings.RepoRoot);
        if (profile.Transport == Transport.Local) return CreateLocal(settings, profile);
        if (profile.Ssh is null)
            throw new InvalidOperationException($"{settings.ClusterProfile}: transport 'ssh' needs an ssh: section (host, user, key, known_hosts).");
        if (profile.WorkspaceRoot.Length == 0)
            throw new InvalidOperationException(
                $"{settings.ClusterProfile}: transport 'ssh' needs workspace_root, the folder on the cluster where job workspaces are staged.");
        var connection = new SshConnection(profile.Ssh, TimeProvider.System, log ?? Console.Error.WriteLine);
        return new RunContext(settings, profile, new SshCommandRunner(connection), new SftpClusterFiles(connection), TimeProvider.System,
            WorkspaceLayout.Remote(settings.ResultsDir, profile.WorkspaceRoot), connection);
    }

    public static RunContext CreateLocal(RunSettings settings)
    {
        var profile = ClusterProfileLoader.Load(settings.ClusterProfile, settings.RepoRoot);
        if (profile.Transport != Transport.Local)
            throw new NotSupportedException($"{settings.ClusterProfile}: transport '{profile.Transport}' needs RunContext.Create.");
        return CreateLocal(settings, profile);
    }

    private static RunContext CreateLocal(RunSettings settings, ClusterProfile profile) =>
        new(settings, profile, new LocalCommandRunner(), new LocalClusterFiles(), TimeProvider.System);

    /// <summary>
    /// Copies a test's workspace from the cluster into its local results folder (nothing to do when both are
    /// the same folder). Returns the problem to report when the copy failed.
    /// </summary>
    public async Task<IReadOnlyList<string>> CollectWorkspaceAsync(string testId, CancellationToken cancellationToken)
    {
        if (!Workspaces.IsRemote || Files is not SftpClusterFiles sftp) return [];
        try
        {
            await sftp.DownloadDirectoryAsync(Workspaces.ClusterPath(testId), Workspaces.LocalPath(testId), cancellationToken).ConfigureAwait(false);
            return [];
        }
        catch (Exception e) when (e is CommandFailedException or IOException or Renci.SshNet.Common.SshException)
        {
            return [$"could not copy the workspace {Workspaces.ClusterPath(testId)} back to {Workspaces.LocalPath(testId)}: {e.Message}"];
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var registration in _signals) registration.Dispose();
        await Monitor.DisposeAsync().ConfigureAwait(false);
        if (_connection is not null) await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
