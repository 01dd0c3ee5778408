namespace Disagg.Harness.Reporting;

/// <summary>One thing that differed between the two runs: run-wide (<see cref="TestId"/> empty) or per test.</summary>
public sealed record RunDifference(string TestId, string What, string A, string B);
