using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Diagnostics;

/// <summary>
/// What the runner knows about a failed test when it packages it: the cluster-side workspace, the job (null when never
/// submitted), the workspace files it expects, its own log lines, the judged run, and the error that broke the run.
/// </summary>
public sealed record DiagnosisInput(
    string Workspace,
    string? JobId,
    IReadOnlyList<string> WorkspaceFiles,
    IReadOnlyList<string> LogLines,
    JudgedRun? Run,
    Exception? Error);
