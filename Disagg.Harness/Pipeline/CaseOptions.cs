namespace Disagg.Harness.Pipeline;

/// <summary>
/// What the test list says about one test beyond its config: <c>TIMEOUT (N)</c>, whether its results are uploaded
/// (perf-sanity <c>disagg_upload-</c> vs <c>disagg-</c> entries), and <c>ISOLATION</c> (no other test runs meanwhile).
/// </summary>
public sealed record CaseOptions(TimeSpan? Timeout = null, bool Upload = true, bool Isolation = false)
{
    /// <summary>A waiver past its date: the test runs, and its results and the report name the stale waiver.</summary>
    public string? StaleWaiver { get; init; }

    public static readonly CaseOptions Default = new();
}
