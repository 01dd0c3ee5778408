namespace Disagg.Harness.Configuration;

public enum Direction { Maximize, Minimize, None }
