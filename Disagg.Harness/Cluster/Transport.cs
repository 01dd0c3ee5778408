namespace Disagg.Harness.Cluster;

public enum Transport { Local, Ssh }
