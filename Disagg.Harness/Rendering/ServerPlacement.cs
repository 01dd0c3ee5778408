namespace Disagg.Harness.Rendering;

/// <summary>Where one server runs: its node slice, GPUs on its first node and port offset.</summary>
public sealed record ServerPlacement(string Role, int Index, int FirstNode, int NodeCount,
    int Tasks, int TasksPerNode, IReadOnlyList<int> FirstNodeGpus, int PortOffset)
{
    public string Name => $"{Role}_server_{Index}";
    public string EnvPrefix => $"{Role.ToUpperInvariant()}_{Index}";
}
