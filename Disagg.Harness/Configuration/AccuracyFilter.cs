namespace Disagg.Harness.Configuration;

public enum AccuracyFilter { FlexibleExtract, StrictMatch }
