using System.Globalization;

namespace Disagg.Harness.Results;

/// <summary>One row of an lm_eval result table.</summary>
public sealed record LmEvalRow(string Task, string Filter, string Metric, double Value, double? Stderr, int Line);
