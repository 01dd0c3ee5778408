namespace Disagg.Harness.Configuration;

public enum RunKind { PreMerge, PostMerge }
