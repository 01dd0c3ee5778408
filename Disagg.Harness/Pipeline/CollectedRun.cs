using Disagg.Harness.Cluster;
using Disagg.Harness.Results;

namespace Disagg.Harness.Pipeline;

/// <summary>The collect stage's result: how SLURM says the job ended, the problems that makes, and what its folder holds.</summary>
public sealed record CollectedRun(JobOutcome? Outcome, IReadOnlyList<string> Problems, CollectedJob Job, JobWorkspace Workspace);
