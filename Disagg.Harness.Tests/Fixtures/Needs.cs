namespace Disagg.Harness.Tests.Fixtures;

/// <summary>The services of the local cluster (scripts/local-cluster.sh) that a test talks to.</summary>
[Flags]
public enum Needs
{
    None = 0,

    /// <summary>slurmctld on 127.0.0.1:6817, reached through sbatch, squeue, scancel and sacct.</summary>
    Slurm = 1,

    /// <summary>The cluster's sshd, DISAGG_SSH_HOST:DISAGG_SSH_PORT (127.0.0.1:2222).</summary>
    Ssh = 2,

    /// <summary>The cluster's PostgreSQL, DISAGG_PERFDB_CONNECTION (127.0.0.1:5432).</summary>
    Postgres = 4,
}
