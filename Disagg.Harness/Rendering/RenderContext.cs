namespace Disagg.Harness.Rendering;

/// <summary>Inputs of rendering that are not in the config: who the test is and where its workspace lives on the cluster.</summary>
public sealed record RenderContext(string TestId, string Workspace, string ConfigPath, string RunId = "");
