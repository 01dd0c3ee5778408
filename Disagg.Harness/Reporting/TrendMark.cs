namespace Disagg.Harness.Reporting;

/// <summary>What a trend point is: inside the band, outside it for the worse or the better, a failed test, an infra failure.</summary>
public enum TrendMark { Normal, Regression, Improvement, Failed, InfraFailure }
