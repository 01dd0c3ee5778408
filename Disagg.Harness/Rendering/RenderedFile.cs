namespace Disagg.Harness.Rendering;

public sealed record RenderedFile(string Name, string Content, bool Executable = false);
