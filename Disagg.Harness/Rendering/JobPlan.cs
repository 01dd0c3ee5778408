namespace Disagg.Harness.Rendering;

/// <summary>The rendered job: every file to stage plus the facts the runner needs to follow it.</summary>
public sealed record JobPlan(
    IReadOnlyList<RenderedFile> Files,
    JobPlacement Placement,
    IReadOnlyList<int> Concurrencies,
    int MultiRound,
    IReadOnlyList<string> ServerLogs,
    TimeSpan TimeLimit)
{
    public RenderedFile this[string name] => Files.Single(f => f.Name == name);
}
