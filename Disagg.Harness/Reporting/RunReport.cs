namespace Disagg.Harness.Reporting;

/// <summary>Everything the reports show about one run: one entry per test found in the results directory.</summary>
public sealed record RunReport(string ResultsDir, IReadOnlyList<TestReport> Tests)
{
    public int PassedCount => Tests.Count(t => t.Passed);
    public int SkippedCount => Tests.Count(t => t.Skipped);
    public int FailedCount => Tests.Count - PassedCount - SkippedCount;

    /// <summary>Commit, image, TRT-LLM version, GPU, driver and nodes; every value says <c>unknown</c> when not recorded.</summary>
    public RunEnvironment Environment { get; init; } =
        new(RunEnvironment.Unknown, RunEnvironment.Unknown, RunEnvironment.Unknown, RunEnvironment.Unknown, RunEnvironment.Unknown, RunEnvironment.Unknown);
}
