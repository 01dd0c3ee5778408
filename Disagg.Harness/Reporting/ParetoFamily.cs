namespace Disagg.Harness.Reporting;

/// <summary>The points of one config family (same model, ISL/OSL and GPU type), each tagged with its group.</summary>
public sealed record ParetoFamily(string Name, IReadOnlyList<ParetoPoint> Points);
