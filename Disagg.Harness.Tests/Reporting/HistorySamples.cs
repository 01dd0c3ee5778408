using Disagg.Harness.Publishing;

namespace Disagg.Harness.Tests.Reporting;

/// <summary>Small hand-made histories for the pure trend/compare/Pareto tests.</summary>
internal static class HistorySamples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static HistoryTest Run(string runId, int day, string testId = "t1", bool passed = true, IReadOnlyList<string>? problems = null,
        string? jobState = "COMPLETED", string commit = "", string image = "img:1", string config = "") =>
        new(runId, testId, T0.AddDays(day), passed, problems ?? [], jobState, "node1", commit.Length > 0 ? commit : $"c{day:D2}", image, "gb200",
            "sim-tiny", 128, 32, "perf", "local", "e2e")
        {
            ConfigJson = config,
        };

    public static HistoryValue Value(string runId, string metric, double value, int concurrency = 4, string testId = "t1") =>
        new(runId, testId, concurrency, metric, value);
}
