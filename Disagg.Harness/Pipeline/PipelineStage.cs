namespace Disagg.Harness.Pipeline;

/// <summary>The stages of one test, in order. <see cref="Settings"/> checks what must hold before anything is rendered.</summary>
public enum PipelineStage { Settings, Render, Submit, Follow, Collect, Judge, Publish, Package }
