using Disagg.Harness.Publishing;

namespace Disagg.Harness.Pipeline;

/// <summary>The publish stage's result: results.json, what was uploaded (null when nothing was), and the upload warning if any.</summary>
public sealed record PublishedResult(string ResultsFile, UploadReport? Upload, string? Warning);
