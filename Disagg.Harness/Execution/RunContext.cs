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

    public ValueTask DisposeAsync() => Monitor.DisposeAsync();
}
