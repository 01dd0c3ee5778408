namespace Disagg.Harness.Reporting;

/// <summary>One run and concurrency of a config family: per-user throughput (tok/s/user, x) and output tok/s per GPU (y).</summary>
public sealed record ParetoPoint(string Group, string RunId, string TestId, int Concurrency, double UserTps, double PerGpuTps);
