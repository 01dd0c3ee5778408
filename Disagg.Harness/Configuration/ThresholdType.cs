namespace Disagg.Harness.Configuration;

public enum ThresholdType { HypothesisTest }
