namespace Disagg.Harness.Cluster;

/// <summary>Runs commands on the machine that talks to SLURM: this host, or a login node over SSH.</summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(Command command, CancellationToken cancellationToken);
}
