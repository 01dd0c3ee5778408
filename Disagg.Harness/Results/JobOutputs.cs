namespace Disagg.Harness.Results;

/// <summary>The files of a finished job the judge reads, already fetched (text by name; null when absent).</summary>
public sealed record JobOutputs(
    IReadOnlyDictionary<int, string> ResultJson,
    Func<int, string> ResultJsonPath,
    IReadOnlyList<(string File, string Text)> GenLogs,
    IReadOnlyList<(string Task, string File, string? Text)> AccuracyLogs);
