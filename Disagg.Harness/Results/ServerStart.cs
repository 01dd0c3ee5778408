namespace Disagg.Harness.Results;

/// <summary>
/// How far a worker got, from its log: the node its launcher reported (<c>node: node3</c>) and whether it began loading
/// the model (<see cref="ModelLoadEvidence"/>).
/// </summary>
public sealed record ServerStart(string Log, string? Node, bool LoadingStarted);
