namespace Disagg.Harness.Results;

/// <summary>
/// What a finished job left, read from its folder: the parsed client log (null when the config runs no benchmark),
/// where it was read from, the other outputs, and whether SLURM says the job completed (completeness is judged only then).
/// </summary>
public sealed record CollectedJob(
    string BenchmarkLogPath,
    bool BenchmarkLogExists,
    BenchmarkLog? Benchmark,
    JobOutputs Outputs,
    bool Completed,
    IReadOnlyList<int> ExpectedConcurrencies,
    int MultiRound)
{
    /// <summary>Workers whose log exists but never shows the model load beginning (<see cref="ModelLoadEvidence"/>).</summary>
    public IReadOnlyList<ServerStart> ServersNeverLoaded { get; init; } = [];
}
