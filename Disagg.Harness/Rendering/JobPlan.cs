namespace Disagg.Harness.Rendering;

public sealed record RenderedFile(string Name, string Content, bool Executable = false);

/// <summary>Inputs of rendering that are not in the config: who the test is and where its workspace lives on the cluster.</summary>
public sealed record RenderContext(string TestId, string Workspace, string ConfigPath, string RunId = "");

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
