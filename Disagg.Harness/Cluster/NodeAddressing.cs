namespace Disagg.Harness.Cluster;

public enum NodeAddressing { Hostname, NodeAddr }
