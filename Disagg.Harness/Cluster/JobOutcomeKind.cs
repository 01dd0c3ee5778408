namespace Disagg.Harness.Cluster;

/// <summary>How a job ended, typed: only <see cref="Completed"/> with every expected result can pass.</summary>
public enum JobOutcomeKind { Completed, Failed, TimedOut, Cancelled, NodeFailure, Preempted, OutOfMemory, BootFailure, Deadline, Other }
